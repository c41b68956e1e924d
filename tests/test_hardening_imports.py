"""Audit findings about imports: what we write as CSV is formula-safe, and a spreadsheet is
parsed off the event loop within limits (rows, columns, cell length, uncompressed size)."""

from __future__ import annotations

import csv
import io

from bot.dossiers.bulk_import import import_table, parse_table, result_csv
from bot.services import Services

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


async def test_result_csv_cells_are_formula_safe_and_read_back(services: Services) -> None:
    """A dossier code such as ``-A1`` is a formula to Excel: it is written with a leading
    apostrophe, and uploading the result file again reads the code as it was."""
    content = b"dossier_code,form\r\n-A1,citizen\r\nHS-1,citizen\r\n"
    result = await import_table(
        services.links, unit_code="XA-HOATHANH", filename="a.csv", content=content, actor="t"
    )
    written = result_csv(result, services.links)
    cells = [cell for row in csv.reader(io.StringIO(written.decode("utf-8-sig"))) for cell in row]
    assert "'-A1" in cells
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)
    rows, errors = parse_table("a-links.csv", written)
    assert not errors
    assert sorted(row.dossier_code for row in rows) == ["-A1", "HS-1"]
