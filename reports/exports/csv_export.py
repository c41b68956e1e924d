"""The report as CSV for Excel: UTF-8 with a BOM (so Excel reads Vietnamese), Vietnamese or
English labels, numbers with a decimal point, and every text cell that a spreadsheet would
take for a formula (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return)
neutralised with a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from typing import Any

from reports.exports.cells import neutralise
from reports.exports.rows import Cell, all_rows


def neutralised(cell: Cell) -> Cell:
    return neutralise(cell) if isinstance(cell, str) else cell


def render(report: Mapping[str, Any], locale: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in all_rows(report, locale):
        writer.writerow(["" if cell is None else neutralised(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
