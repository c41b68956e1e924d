"""Bulk import of dossiers from CSV and XLSX files, on both database backends."""

from __future__ import annotations

import csv
import io
import unicodedata

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.dossiers.bulk_import import (
    MAX_ROWS,
    ImportResult,
    ImportRow,
    RowError,
    TableError,
    import_table,
    parse_table,
    result_csv,
)
from bot.dossiers.import_rows import check_table
from bot.services import Services
from reports.exports.cells import FORMULA_STARTS
from storage.models import Dossier
from storage.repos import audit
from storage.repos.errors import NotFound

GOOD_AND_BAD = (
    "dossier_code,form,procedure,phone\r\n"
    "HS-001,citizen,Đăng ký khai sinh,0912 345 678\r\n"
    ",citizen,,\r\n"
    "HS-002,organization,Cấp giấy phép xây dựng,\r\n"
    "HS-003,robot,,\r\n"
    "HS-004,,,12345\r\n"
    "HS-001,citizen,,\r\n"
    f"{'H' * 65},citizen,,\r\n"
    "\r\n"
    "HS-005,tổ chức,,+84 234 3822 123\r\n"
)


def xlsx(rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_valid_rows_survive_invalid_ones_which_are_explained_by_row() -> None:
    rows, errors = parse_table("hoso.csv", GOOD_AND_BAD.encode())
    assert rows == [
        ImportRow(2, "HS-001", "citizen", "Đăng ký khai sinh", "0912345678"),
        ImportRow(4, "HS-002", "organization", "Cấp giấy phép xây dựng", None),
        ImportRow(6, "HS-004", "citizen", None, None),  # a bad phone costs only the phone
        ImportRow(10, "HS-005", "organization", None, "02343822123"),
    ]
    assert errors == [
        RowError(3, "Mã hồ sơ đang để trống"),
        RowError(5, "Loại “robot” không hợp lệ: ghi “công dân” hoặc “tổ chức”"),
        RowError(
            6,
            "Số điện thoại “12345” không hợp lệ (ví dụ đúng: 0912 345 678) — hồ sơ vẫn được "
            "nhập, bỏ trống trường này",
            imported=True,
        ),
        RowError(7, "Mã hồ sơ “HS-001” trùng với dòng 2"),
        RowError(8, "Mã hồ sơ quá dài (65 ký tự, tối đa 64)"),
    ]


def test_reasons_in_english() -> None:
    _, errors = parse_table("hoso.csv", GOOD_AND_BAD.encode(), locale="en")
    assert errors[0] == RowError(3, "dossier_code is missing")
    assert errors[3] == RowError(7, "dossier_code 'HS-001' repeats row 2")


def test_vietnamese_headers_semicolons_and_a_bom() -> None:
    content = (
        "Mã hồ sơ;Loại;Thủ tục;Số điện thoại\r\n"
        "HS-1;Công dân;Chứng thực bản sao;0912345678\r\n"
        "HS-2;TỔ CHỨC;Đăng ký kinh doanh, hộ kinh doanh;\r\n"
        "HS-3;Cá nhân;;\r\n"
    ).encode("utf-8-sig")
    rows, errors = parse_table("hoso.csv", content)
    assert errors == []
    assert [(r.dossier_code, r.form, r.procedure) for r in rows] == [
        ("HS-1", "citizen", "Chứng thực bản sao"),
        ("HS-2", "organization", "Đăng ký kinh doanh, hộ kinh doanh"),
        ("HS-3", "citizen", None),
    ]


def test_header_aliases_are_case_and_diacritics_insensitive() -> None:
    content = "STT,MA_HO_SO,loai doi tuong,SĐT\n1,HS-1,to chuc,912345678\n2,,,\n3,,,\n".encode()
    rows, errors = parse_table("x.csv", content)
    assert (rows, errors) == ([ImportRow(2, "HS-1", "organization", None, "0912345678")], [])


def windows_1258(text: str) -> bytes:
    """Text as Vietnamese Windows writes it: base letters precomposed, tone marks combining."""
    tones = "\u0300\u0301\u0303\u0309\u0323"
    out = bytearray()
    for char in text:
        parts = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(p for p in parts if p not in tones))
        out += (base + "".join(p for p in parts if p in tones)).encode("cp1258")
    return bytes(out)


def test_windows_1258_csv() -> None:
    content = windows_1258("Mã hồ sơ;Loại;Thủ tục\r\nHS-1;Tổ chức;Đăng ký hộ tịch\r\n")
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")
    rows, errors = parse_table("hoso.csv", content)
    assert errors == []
    assert rows == [ImportRow(2, "HS-1", "organization", "Đăng ký hộ tịch", None)]


def test_xlsx_with_a_title_row_numbers_and_bad_rows() -> None:
    content = xlsx(
        [
            ["DANH SÁCH HỒ SƠ ĐÃ TRẢ KẾT QUẢ"],
            ["Mã hồ sơ", "Loại", "Thủ tục", "Số điện thoại"],
            ["HS-1", "Công dân", "Đăng ký khai sinh", 912345678],
            [20260001, "Tổ chức", None, None],
            [None, None, None, None],
            ["HS-3", "Không rõ", None, None],
        ]
    )
    rows, errors = parse_table("hoso.xlsx", content)
    assert rows == [
        ImportRow(3, "HS-1", "citizen", "Đăng ký khai sinh", "0912345678"),
        ImportRow(4, "20260001", "organization", None, None),
    ]
    assert errors == [RowError(6, "Loại “Không rõ” không hợp lệ: ghi “công dân” hoặc “tổ chức”")]


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "không có dữ liệu"),
        (b"   \r\n", "không có dữ liệu"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "xin tải lên tệp CSV hoặc Excel"),
        (b"PK\x03\x04 not really a zip", "xin tải lên tệp CSV hoặc Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Excel cũ (.xls)"),
        ("Họ tên,Địa chỉ\nNguyễn Văn A,Hòa Thành\n".encode(), "Không tìm thấy cột “Mã hồ sơ”"),
        (b"dossier_code\r\n\r\n", "chỉ có dòng tiêu đề"),
        (b'dossier_code\n"' + b"x" * 200_000 + b'"\n', "xin tải lên tệp CSV hoặc Excel"),
    ],
    ids=["empty", "blank", "png", "broken-zip", "xls", "no-code-column", "header-only", "huge"],
)
def test_an_unusable_file_is_one_kind_error(content: bytes, says: str) -> None:
    with pytest.raises(TableError) as raised:
        parse_table("tep-cua-toi.csv", content)
    assert says in str(raised.value)
    with pytest.raises(TableError) as checked:  # the import's first reading says the same
        check_table("tep-cua-toi.csv", content)
    assert str(checked.value) == str(raised.value)


def test_an_unusable_file_in_english() -> None:
    with pytest.raises(TableError) as raised:
        parse_table("list.csv", b"name\nA\n", locale="en")
    assert str(raised.value).startswith("No “dossier_code” (Mã hồ sơ) column")


def test_too_many_rows() -> None:
    content = "dossier_code\n" + "".join(f"HS-{n}\n" for n in range(MAX_ROWS + 1))
    with pytest.raises(TableError) as raised:
        parse_table("big.csv", content.encode())
    assert "hơn 100.000 dòng" in str(raised.value)
    with pytest.raises(TableError) as checked:
        check_table("big.csv", content.encode())
    assert str(checked.value) == str(raised.value)
    rows, _ = parse_table("ok.csv", "\n".join(content.splitlines()[:-1]).encode())
    assert len(rows) == MAX_ROWS


async def imported(
    services: Services, content: bytes, filename: str = "hoso.csv", unit: str = "XA-HOATHANH"
) -> ImportResult:
    """A clerk of XA-HOATHANH uploads ``content``."""
    return await import_table(
        services.links, unit_code=unit, filename=filename, content=content, actor="web:clerk1"
    )


async def dossier_count(services: Services) -> int:
    async with services.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Dossier)) or 0)


async def test_import_creates_links_and_reimport_creates_none(services: Services) -> None:
    content = GOOD_AND_BAD.encode()
    first = await imported(services, content)
    assert [i.dossier.code for i in first.links] == ["HS-001", "HS-002", "HS-004", "HS-005"]
    assert (first.created, first.existing, first.error_count) == (4, 0, 4)
    assert [e.row for e in first.errors] == [3, 5, 7, 8]
    assert [(w.row, w.imported) for w in first.warnings] == [(6, True)]  # without its phone
    assert {i.link.form for i in first.links} == {"citizen", "organization"}
    assert await dossier_count(services) == 4

    again = await imported(services, content)
    assert (again.created, again.existing) == (0, 4)
    assert [i.link.token for i in again.links] == [i.link.token for i in first.links]
    assert await dossier_count(services) == 4
    async with services.db.transaction() as session:
        created = await audit.entries(session, "link.create")
        imports = await audit.entries(session, "link.import")
    # one entry for the chunk's links (the file is one chunk), none for links that existed
    assert [(e.actor, e.subject, e.detail) for e in created] == [
        ("web:clerk1", "XA-HOATHANH", {"file": "hoso.csv", "created": 4})
    ]
    assert [e.detail for e in imports] == [
        {"file": "hoso.csv", "created": 4, "existing": 0, "errors": 4, "warnings": 1},
        {"file": "hoso.csv", "created": 0, "existing": 4, "errors": 4, "warnings": 1},
    ]


async def test_import_into_an_unknown_unit(services: Services) -> None:
    with pytest.raises(NotFound):
        await imported(services, b"code\nHS-1\n", "a.csv", unit="KHONG-CO")
    assert await dossier_count(services) == 0


async def test_xlsx_import(services: Services) -> None:
    content = xlsx([["Mã hồ sơ", "Loại"], ["HS-1", "Tổ chức"], ["HS-2", None]])
    result = await imported(services, content, "a.xlsx")
    assert [(i.dossier.code, i.link.form) for i in result.links] == [
        ("HS-1", "organization"),
        ("HS-2", "citizen"),
    ]


async def test_result_csv_opens_in_excel_and_lists_every_row(services: Services) -> None:
    await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-002")
    result = await imported(services, GOOD_AND_BAD.encode())
    data = result_csv(result)
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert table[0] == [
        "row",
        "dossier_code",
        "form",
        "status",
        "web_link",
        "telegram_link",
        "zalo_link",
        "qr_url",
        "text",
        "error",
    ]
    assert [(r[0], r[1], r[3]) for r in table[1:]] == [
        ("2", "HS-001", "created"),
        ("3", "", "error"),
        ("4", "HS-002", "existing"),
        ("5", "", "error"),
        ("6", "HS-004", "created"),
        ("7", "", "error"),
        ("8", "", "error"),
        ("10", "HS-005", "created"),
    ]
    first = table[1]
    token = result.links[0].link.token
    base = services.settings.web.public_url
    assert first[4] == f"{base}/s/{token}" and first[7] == f"{base}/s/{token}/qr.png"
    assert first[5] == "" and first[6] == ""
    assert "kính mời Ông/Bà" in first[8] and first[4] in first[8]
    assert table[2][9] == "Mã hồ sơ đang để trống"
    assert table[5][9].startswith("Số điện thoại “12345” không hợp lệ")  # imported all the same
    rows, errors = parse_table("ket-qua.csv", data)
    assert [r.dossier_code for r in rows] == ["HS-001", "HS-002", "HS-004", "HS-005"]
    assert errors == []  # error lines carry no dossier data: nothing to import again


CODE_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./-"
TEXT_CHARS = "aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợ"
TEXT_CHARS += "ùủũúụừửữứựỳỷỹýỵĐÂÊÔƠƯ ,;\t\"'0123456789()"


def as_read(cell: str) -> str:
    """A cell as the importer reads it: an apostrophe before what a spreadsheet would take
    for a formula is Excel's text marker (and what our own exports add), not part of the text."""
    text = cell.strip()
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_STARTS) else text


@settings(max_examples=40, deadline=None)
@example(
    rows=[("HS-1", "citizen", "'\t0", None)], delimiter=",", encoding="utf-8"
)  # an apostrophe before a tab: Excel's text marker, dropped on reading
@given(
    rows=st.lists(
        st.tuples(
            st.text(CODE_CHARS, min_size=1, max_size=64),
            st.sampled_from(["citizen", "organization", "Công dân", "Tổ chức", ""]),
            st.text(TEXT_CHARS, max_size=80),
            st.one_of(st.none(), st.from_regex(r"0[35789]\d{8}", fullmatch=True)),
        ),
        min_size=1,
        max_size=12,
        unique_by=lambda row: row[0],
    ),
    delimiter=st.sampled_from([",", ";", "\t"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_table_excel_writes_reads_back(
    rows: list[tuple[str, str, str, str | None]], delimiter: str, encoding: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(["Mã hồ sơ", "Loại", "Thủ tục", "Số điện thoại"])
    writer.writerows(
        [[code, form, procedure, phone or ""] for code, form, procedure, phone in rows]
    )
    found, errors = parse_table("hoso.csv", buffer.getvalue().encode(encoding))
    assert errors == []
    assert found == [
        ImportRow(
            number,
            code,
            "organization" if form in ("organization", "Tổ chức") else "citizen",
            " ".join(as_read(procedure).split()) or None,
            phone,
        )
        for number, (code, form, procedure, phone) in enumerate(rows, start=2)
    ]


async def test_a_flow_column_picks_a_published_flow_per_row(services: Services) -> None:
    """The "Bộ câu hỏi" column names a flow by id (`flows list`); empty: the unit's default;
    an unpublished id is a row error and the other rows are imported."""
    content = "Mã hồ sơ,Bộ câu hỏi\nHS-F1,qd1001\nHS-F2,\nHS-F3,khong-co\n".encode()
    result = await imported(services, content)
    assert [i.dossier.code for i in result.links] == ["HS-F1", "HS-F2"]
    assert [i.link.flow_key for i in result.links] == ["qd1001", None]
    ((row, reason),) = [(e.row, e.reason) for e in result.errors]
    assert row == 4
    assert reason == "Bộ câu hỏi “khong-co” chưa được công bố (xem danh sách bộ câu hỏi)"
