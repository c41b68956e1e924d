"""The cells of an XLSX file's active sheet, row by row, for ``bot.dossiers.tables``.

python-calamine (a Rust reader) reads a 100,000-row sheet in about a second where openpyxl's
read-only reader takes ten or more. But calamine holds a sheet as a dense grid as tall and as
wide as its farthest cell: a 5 KB file with one cell at A1 and one at XFD1048576 asks for
hundreds of gigabytes and aborts the process. So before calamine sees a sheet, its XML is
scanned for the farthest cell reference, and calamine is used only when every cell names its
position (the plain form every spreadsheet program writes) and the grid stays within
``FAST_CELLS``; any other sheet is read by openpyxl's streaming reader, whose memory does not
depend on where the cells are. The caller has already bounded the unpacked size, so reading
the sheet's XML here is bounded too.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

FAST_CELLS = 3_000_000
"""Grid cells calamine may allocate (about 100 MB): 100,000 rows of 30 columns."""

_CELL = re.compile(rb"<c\s[^>]*?\br\s*=\s*[\"']([A-Z]{1,3})([0-9]{1,7})[\"']")
_ACTIVE = re.compile(rb"\bactiveTab\s*=\s*[\"']([0-9]{1,5})[\"']")


def _column(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def grid_cells(sheet_xml: bytes) -> int | None:
    """Rows × columns up to the farthest cell of a worksheet's XML; None when some cell
    does not name its position in the plain ``<c r="B7" …>`` form (or the form is unknown)."""
    cells = sheet_xml.count(b"<c ") + sheet_xml.count(b"<c>") + sheet_xml.count(b"<c/>")
    refs = _CELL.findall(sheet_xml)
    if len(refs) != cells or b":c " in sheet_xml or b":c>" in sheet_xml:
        return None
    if not refs:
        return 0
    rows = max(int(row) for row in {row for _, row in refs})
    columns = max(_column(letters) for letters in {letters for letters, _ in refs})
    return rows * columns


def _fast_enough(archive: zipfile.ZipFile) -> bool:
    """Every worksheet of the file has a grid calamine can hold (checked for all of them:
    which one is active is decided by calamine's own reading of the workbook)."""
    sheets = [
        member
        for member in archive.infolist()
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml")
    ]
    if not sheets:
        return False
    for member in sheets:
        grid = grid_cells(archive.read(member))
        if grid is None or grid > FAST_CELLS:
            return False
    return True


def _active_tab(archive: zipfile.ZipFile) -> int:
    try:
        found = _ACTIVE.search(archive.read("xl/workbook.xml"))
    except KeyError:
        return 0
    return int(found.group(1)) if found else 0


def rows(content: bytes, max_columns: int) -> Iterator[list[Any]]:
    """Each row's values (None or "" for an empty cell), from row 1, at most
    ``max_columns`` of them; the active sheet, as Excel opens the file."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        fast = _fast_enough(archive)
        active = _active_tab(archive)
    if fast:
        yield from _calamine_rows(content, active, max_columns)
    else:
        yield from _openpyxl_rows(content, max_columns)


def _calamine_rows(content: bytes, active: int, max_columns: int) -> Iterator[list[Any]]:
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    try:
        kinds = [sheet.typ for sheet in book.sheets_metadata]
        if not (0 <= active < len(kinds) and kinds[active] == SheetTypeEnum.WorkSheet):
            active = kinds.index(SheetTypeEnum.WorkSheet) if SheetTypeEnum.WorkSheet in kinds else 0
        sheet = book.get_sheet_by_index(active)
        for values in sheet.iter_rows():  # from row 1: rows above the first cell come empty
            yield values[:max_columns]
    finally:
        book.close()


def _openpyxl_rows(content: bytes, max_columns: int) -> Iterator[list[Any]]:
    import openpyxl  # here, not at the top: it pulls in numpy, half a second of every start

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.active if book.active is not None else book.worksheets[0]
        for values in sheet.iter_rows(values_only=True, max_col=max_columns):
            yield list(values)
    finally:
        book.close()
