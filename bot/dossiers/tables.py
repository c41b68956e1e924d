"""Reading a clerk's spreadsheet: CSV (any delimiter and encoding Excel produces) or XLSX.

Returns rows of text cells with their spreadsheet row numbers, so problems can be reported
as "row 7" exactly where the clerk sees them. Knows nothing about dossiers.

Untrusted bytes, so everything is bounded before it costs: an XLSX (a zip) is refused when
its members would unpack to more than ``MAX_UNPACKED`` bytes, checked on the zip's directory
before any reader opens it (a zip bomb of 64 KB can unpack to gigabytes; zipfile never
inflates a member beyond its declared size), and its sheet's grid is bounded before the fast
reader allocates it (``bot.dossiers.xlsx_rows``); at most ``MAX_COLUMNS`` columns with
content, ``MAX_CELL`` characters a cell, ``max_lines`` rows (blank ones included) and a
deadline. The caller runs this in a worker process: the event loop keeps serving meanwhile.
"""

from __future__ import annotations

import csv
import io
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from bot.dossiers import xlsx_rows
from flows.texts import Phrasebook, lookup
from reports.exports.cells import FORMULA_STARTS, neutralise

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
DELIMITERS = (",", ";", "\t")

HEADER_LINES = 12  # lines searched for the header row (a title may stand above it)
MAX_UNPACKED = 64 * 1024 * 1024
"""Bytes an XLSX may unpack to: a 100,000-row export of five columns unpacks to about 30 MB;
a zip bomb (64 KB that unpacks to gigabytes) is refused before anything is inflated."""
MAX_COLUMNS = 50  # a one-stop export has 10 to 25; more is not a list of dossiers
MAX_CELL = 1000  # characters: a procedure's name is at most 255
MAX_LINES = 200_000
"""Rows read when the caller sets no other bound, blank ones included."""
MAX_SECONDS = 30.0
"""Reading time: a 100,000-row file takes a few seconds; a file built to be slow stops here."""

Row = tuple[int, list[str]]
HeaderTest = Callable[[list[str]], bool]

MESSAGES: Phrasebook = {
    "unreadable": {
        "vi": "Không đọc được tệp “{name}”: xin tải lên tệp CSV hoặc Excel (.xlsx).",
        "en": "Cannot read the file “{name}”: please upload a CSV or Excel (.xlsx) file.",
    },
    "xls": {
        "vi": "Tệp “{name}” là định dạng Excel cũ (.xls): xin mở bằng Excel rồi lưu lại dưới "
        "dạng .xlsx hoặc CSV.",
        "en": "The file “{name}” is an old Excel file (.xls): please open it in Excel and save "
        "it as .xlsx or CSV.",
    },
    "empty": {
        "vi": "Tệp “{name}” không có dữ liệu.",
        "en": "The file “{name}” has no data.",
    },
    "unpacked": {
        "vi": "Tệp “{name}” quá lớn khi giải nén (hơn {limit} MB), không thể là một bảng hồ "
        "sơ: xin chỉ để lại bảng hồ sơ, hoặc lưu thành CSV.",
        "en": "The file “{name}” is too large once unpacked (more than {limit} MB) to be a "
        "table of dossiers: please keep only the table, or save it as CSV.",
    },
    "columns": {
        "vi": "Dòng {row} của tệp “{name}” có hơn {limit} cột có dữ liệu: xin chỉ để lại các "
        "cột Mã hồ sơ, Loại, Thủ tục, Số điện thoại.",
        "en": "Row {row} of “{name}” has more than {limit} columns with data: please keep "
        "only the columns dossier_code, form, procedure, phone.",
    },
    "cell": {
        "vi": "Dòng {row} của tệp “{name}” có một ô dài hơn {limit} ký tự: xin kiểm tra lại "
        "dòng này.",
        "en": "Row {row} of “{name}” has a cell longer than {limit} characters: please check "
        "that row.",
    },
    "lines": {
        "vi": "Tệp “{name}” có hơn {limit} dòng (kể cả dòng trống): xin chia thành nhiều tệp "
        "nhỏ hơn.",
        "en": "The file “{name}” has more than {limit} rows (blank ones included): please "
        "split it into smaller files.",
    },
    "slow": {
        "vi": "Đọc tệp “{name}” mất quá nhiều thời gian: xin lưu lại thành CSV hoặc chia thành "
        "nhiều tệp nhỏ hơn.",
        "en": "Reading “{name}” took too long: please save it as CSV or split it into smaller "
        "files.",
    },
}


class TableError(Exception):
    """The file as a whole cannot be used; ``text(locale)`` says why, kindly."""

    def __init__(self, reason: str, messages: Phrasebook = MESSAGES, **values: Any):
        self.reason = reason
        self.messages = messages
        self.values = values
        self.locale = "vi"
        super().__init__(reason)

    def text(self, locale: str | None = None) -> str:
        return lookup(self.messages, self.reason, locale or self.locale, **self.values)

    def localized(self, locale: str) -> TableError:
        self.locale = locale
        return self

    def __str__(self) -> str:
        return self.text()

    def __reduce__(self) -> tuple[object, ...]:
        # Tables are read in a worker process: the error crosses back whole.
        return (_table_error, (self.reason, self.messages, self.values, self.locale))


def _table_error(
    reason: str, messages: Phrasebook, values: dict[str, Any], locale: str
) -> TableError:
    return TableError(reason, messages, **values).localized(locale)


def formula_safe(cell: object) -> str:
    """A cell for a CSV we write: text a spreadsheet would evaluate gets a leading
    apostrophe, which Excel and LibreOffice show as plain text (and ``_cell`` removes again
    when the file comes back)."""
    return neutralise(str(cell))


def _cell(value: Any) -> str:
    if type(value) is str:  # most cells, so first; ASCII text is already NFC
        text = (value if value.isascii() else unicodedata.normalize("NFC", value)).strip()
    elif value is None:
        return ""
    elif isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = unicodedata.normalize("NFC", str(value)).strip()
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]  # written by formula_safe
    return text


def _decode(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1258")  # Vietnamese Windows (Excel's "CSV" on vi-VN)


def _records(text: str, delimiter: str) -> Iterator[Row]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    for number, cells in enumerate(reader, start=1):
        yield number, [_cell(c) for c in cells]


def _delimiter(text: str, is_header: HeaderTest | None) -> str:
    """The delimiter under which a header row is recognised in the first lines; otherwise
    the most frequent one there (the cells' own text may hold commas or semicolons)."""
    head = "\n".join(text.splitlines()[:HEADER_LINES])
    if is_header is not None:
        for delimiter in DELIMITERS:
            if any(is_header(cells) for _, cells in _records(head, delimiter)):
                return delimiter
    best = max(DELIMITERS, key=head.count)
    return best if head.count(best) else ","


def _csv_rows(text: str, is_header: HeaderTest | None) -> Iterator[Row]:
    yield from _records(text, _delimiter(text, is_header))


def _unpacked_size(content: bytes, name: str) -> int:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise TableError("unreadable", name=name) from None


def _xlsx_rows(content: bytes, name: str) -> Iterator[Row]:
    if _unpacked_size(content, name) > MAX_UNPACKED:
        raise TableError("unpacked", name=name, limit=MAX_UNPACKED // (1024 * 1024))
    # One column more than allowed: enough to tell a too-wide row (see _bounded).
    for number, values in enumerate(xlsx_rows.rows(content, MAX_COLUMNS + 1), start=1):
        yield number, [_cell(v) for v in values]


def _bounded(rows: Iterator[Row], name: str, max_lines: int, deadline: float) -> Iterator[Row]:
    for number, cells in rows:
        if number > max_lines:
            raise TableError("lines", name=name, limit=max_lines)
        if len(cells) > MAX_COLUMNS and any(cells[MAX_COLUMNS:]):
            raise TableError("columns", name=name, row=number, limit=MAX_COLUMNS)
        if cells and max(map(len, cells)) > MAX_CELL:
            raise TableError("cell", name=name, row=number, limit=MAX_CELL)
        if time.monotonic() > deadline:
            raise TableError("slow", name=name)
        yield number, cells[:MAX_COLUMNS]


def read_rows(
    filename: str,
    content: bytes,
    is_header: HeaderTest | None = None,
    *,
    max_lines: int = MAX_LINES,
    seconds: float = MAX_SECONDS,
) -> Iterator[Row]:
    """(row number, cells) for every row, blank ones included; raises TableError, also when
    a limit is passed (see the module doc). Blocking: run it in a worker process.

    ``is_header`` tells the caller's header row, to choose a CSV file's delimiter.
    """
    name = filename or "?"
    deadline = time.monotonic() + seconds
    if not content.strip():
        raise TableError("empty", name=name)
    if content.startswith(XLS_MAGIC):
        raise TableError("xls", name=name)
    if content.startswith(XLSX_MAGIC):
        return _checked(_bounded(_xlsx_rows(content, name), name, max_lines, deadline), name)
    try:
        text = _decode(content)
    except UnicodeDecodeError:
        raise TableError("unreadable", name=name) from None
    if "\x00" in text:
        raise TableError("unreadable", name=name)
    rows = _csv_rows(unicodedata.normalize("NFC", text), is_header)
    return _checked(_bounded(rows, name, max_lines, deadline), name)


def _checked(rows: Iterator[Row], name: str) -> Iterator[Row]:
    """Turns a broken file's parser error (zip, XML, CSV) into a kind TableError."""
    try:
        yield from rows
    except TableError:
        raise
    except Exception:  # untrusted bytes: openpyxl and zipfile raise many kinds of errors
        raise TableError("unreadable", name=name) from None
