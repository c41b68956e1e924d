"""Import templates the desk downloads and fills in: the header row ``bulk_import`` reads
(Vietnamese column names), as CSV (UTF-8 with a BOM, so Excel shows the diacritics) and as
XLSX (with a sheet that explains each column and its accepted values).

No example rows: a forgotten example would be imported as a real dossier.
"""

from __future__ import annotations

import io

HEADER = ("Mã hồ sơ", "Loại", "Thủ tục", "Số điện thoại")
HELP = (
    ("Mã hồ sơ", "Bắt buộc. Chữ không dấu, chữ số và . _ / - (tối đa 64 ký tự)."),
    ("Loại", "“Công dân” (Mẫu 01) hoặc “Tổ chức” (Mẫu 02); để trống là công dân."),
    ("Thủ tục", "Không bắt buộc. Tên thủ tục hoặc lĩnh vực."),
    (
        "Số điện thoại",
        "Không bắt buộc. Ví dụ 0912 345 678; số sai thì hồ sơ vẫn được nhập, bỏ trống số.",
    ),
)


def template_csv() -> bytes:
    return ("\ufeff" + ",".join(HEADER) + "\r\n").encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook  # imported when a template is asked for, not at start
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Danh sách hồ sơ"
    sheet.append(list(HEADER))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCD", (22, 14, 40, 18), strict=True):
        sheet.column_dimensions[column].width = width
        sheet.column_dimensions[column].number_format = "@"  # keep the phone's leading 0
    guide = book.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Cách điền"])
    for row in HELP:
        guide.append(list(row))
    guide.column_dimensions["B"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
