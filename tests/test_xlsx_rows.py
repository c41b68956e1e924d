"""XLSX reading: the fast reader gets only sheets whose grid it can hold; any other sheet is
streamed by openpyxl, and both read a workbook the same way (active sheet, row numbers)."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import openpyxl
import pytest

from bot.dossiers import xlsx_rows
from bot.dossiers.bulk_import import ImportRow, parse_table
from bot.dossiers.tables import TableError, read_rows


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_xml(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_the_grid_of_a_sheet_is_known_before_it_is_read() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["C7"] = "dossier_code", "HS-1"
    assert xlsx_rows.grid_cells(sheet_xml(saved(book))) == 7 * 3
    sheet["XFD1048576"] = "x"
    assert xlsx_rows.grid_cells(sheet_xml(saved(book))) == 1_048_576 * 16_384
    # a cell that does not say where it is: its place cannot be bounded without reading
    assert xlsx_rows.grid_cells(b'<row r="1"><c r="A1"/><c t="s"><v>0</v></c></row>') is None
    assert xlsx_rows.grid_cells(b'<x:row r="1"><x:c r="A1"/></x:row>') is None


def test_a_tiny_file_with_a_far_corner_is_refused_not_allocated() -> None:
    """Two cells, at A1 and at the sheet's last cell: a dense reader would ask for about 500
    GB and abort; the streaming reader meets the row limit and the file is refused kindly."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet["A1"], sheet["A2"], sheet["XFD1048576"] = "dossier_code", "HS-1", "x"
    content = saved(book)
    assert len(content) < 10_000
    with pytest.raises(TableError) as refused:
        list(read_rows("goc-xa.xlsx", content, max_lines=1000))
    assert refused.value.reason == "lines"


@pytest.mark.parametrize("far", [False, True], ids=["calamine", "openpyxl"])
def test_both_readers_read_the_active_sheet_alike(far: bool) -> None:
    """The active sheet (the second here), a title above the header, numbers, dates and
    blanks; ``far`` adds an empty far-away cell, which sends the sheet to openpyxl."""
    book = openpyxl.Workbook()
    other = book.active
    assert other is not None
    other.append(["Mã hồ sơ"])
    other.append(["HS-KHAC"])
    sheet = book.create_sheet("Hồ sơ")
    sheet.append(["DANH SÁCH HỒ SƠ NGÀY 24/11/2026"])
    sheet.append(["Mã hồ sơ", "Loại", "Thủ tục", "Số điện thoại", "Ngày trả"])
    sheet.append([20260001, "Tổ chức", None, 912345678, date(2026, 11, 24)])
    sheet.append([None, None, None, None, None])
    sheet.append(["HS-2", "Công dân", "Đăng ký khai sinh", "0912 345 678", None])
    if far:
        sheet["XFD3000"] = " "  # blank once read, but 3,000 × 16,384 cells as a grid
    book.active = 1
    content = saved(book)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        member = archive.read("xl/worksheets/sheet2.xml")
    grid = xlsx_rows.grid_cells(member)
    assert grid is not None and (grid > xlsx_rows.FAST_CELLS) == far
    rows, errors = parse_table("hoso.xlsx", content)
    assert errors == []
    assert rows == [
        ImportRow(3, "20260001", "organization", None, "0912345678"),
        ImportRow(5, "HS-2", "citizen", "Đăng ký khai sinh", "0912345678"),
    ]
