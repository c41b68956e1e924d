"""Audit findings about imports: what we write as CSV is formula-safe, and a spreadsheet is
parsed off the event loop within limits (rows, columns, cell length, uncompressed size)."""

from __future__ import annotations

import asyncio
import csv
import io
import time

import aiohttp
import pytest

from bot.dossiers.bulk_import import MAX_ROWS, TableError, import_table, parse_table, result_csv
from bot.dossiers.tables import MAX_CELL, MAX_COLUMNS, MAX_UNPACKED
from bot.services import Services
from tests.support.staff import StaffClient, add_staff

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


async def test_result_csv_cells_are_formula_safe_and_read_back(services: Services) -> None:
    """A dossier code such as ``-A1`` is a formula to Excel: it is written with a leading
    apostrophe, and uploading the result file again reads the code as it was."""
    content = b"dossier_code,form\r\n-A1,citizen\r\nHS-1,citizen\r\n"
    result = await import_table(
        services.links, unit_code="XA-HOATHANH", filename="a.csv", content=content, actor="t"
    )
    written = result_csv(result)
    cells = [cell for row in csv.reader(io.StringIO(written.decode("utf-8-sig"))) for cell in row]
    assert "'-A1" in cells
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)
    rows, errors = parse_table("a-links.csv", written)
    assert not errors
    assert sorted(row.dossier_code for row in rows) == ["-A1", "HS-1"]


def xlsx_with(rows: int, columns: int, value: str = "bad code!") -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append(["dossier_code", *(f"c{i}" for i in range(columns - 1))])
    for _ in range(rows):
        sheet.append([value] * columns)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A small XLSX whose members unpack to more than the limit (zeros compress ~1000:1)."""
    import zipfile

    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx_with(1, 2))) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bomb,
    ):
        for item in source.infolist():
            bomb.writestr(item, source.read(item))
        bomb.writestr("xl/media/padding.bin", b"\0" * (MAX_UNPACKED + 1))
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked() -> None:
    content = zip_bomb()
    assert len(content) < 200_000
    with pytest.raises(TableError) as refused:
        parse_table("bomb.xlsx", content)
    assert "quá lớn khi giải nén" in refused.value.text("vi")
    assert "too large once unpacked" in refused.value.text("en")


def test_limits_on_cells_columns_and_rows() -> None:
    long_cell = "dossier_code,procedure\r\nHS-1," + "x" * (MAX_CELL + 1) + "\r\n"
    with pytest.raises(TableError) as refused:
        parse_table("long.csv", long_cell.encode())
    assert "Row 2" in refused.value.text("en") and "characters" in refused.value.text("en")
    wide = "dossier_code" + ",x" * (MAX_COLUMNS + 10) + "\r\nHS-1" + ",y" * (MAX_COLUMNS + 10)
    with pytest.raises(TableError) as refused:
        parse_table("wide.csv", wide.encode())
    assert "columns" in refused.value.text("en")
    blank_rows = "dossier_code\r\n" + ",\r\n" * (MAX_ROWS * 3) + "HS-1\r\n"
    with pytest.raises(TableError) as refused:
        parse_table("blank.csv", blank_rows.encode())
    assert "rows" in refused.value.text("en")


async def test_the_web_keeps_answering_during_a_large_import(
    services: Services, server: str
) -> None:
    """A spreadsheet that takes seconds to read: health keeps answering quickly all along
    (typically within milliseconds; the bound is loose for shared test machines)."""
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    content = xlsx_with(3000, MAX_COLUMNS)  # about 2.5 s of reading on the event loop before
    async with StaffClient(server) as clerk, aiohttp.ClientSession() as http:
        await clerk.login("thu.clerk")
        await clerk.get("/staff/import")
        form = aiohttp.FormData()
        form.add_field("csrf", clerk.csrf)
        form.add_field("unit", "XA-HOATHANH")
        form.add_field("file", content, filename="big.xlsx")
        began = time.monotonic()
        upload = asyncio.create_task(clerk.post("/staff/import", data=form))
        latencies: list[float] = []
        while not upload.done():
            started = time.monotonic()
            async with http.get(server + "/healthz") as response:
                assert response.status == 200
            latencies.append(time.monotonic() - started)
        status, body = await upload
        took = time.monotonic() - began
    assert status == 200, body[:500]
    assert len(latencies) >= 3, "the import ended before health could be asked"
    # Read on the event loop, one health request waited for the whole reading (about the
    # whole import). Relative to the import's duration, so a busy machine does not make it
    # flaky; and never anywhere near the seconds an import takes.
    assert max(latencies) < min(0.5 * took, 2.5), (took, latencies)
