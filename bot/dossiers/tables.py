"""Reading a clerk's spreadsheet: CSV (any delimiter and encoding Excel produces) or XLSX.

Returns rows of text cells with their spreadsheet row numbers, so problems can be reported
as "row 7" exactly where the clerk sees them. Knows nothing about dossiers.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

from flows.texts import Phrasebook, lookup

XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0"
DELIMITERS = (",", ";", "\t")

HEADER_LINES = 12  # lines searched for the header row (a title may stand above it)

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


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", str(value)).strip()


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


def _xlsx_rows(content: bytes) -> Iterator[Row]:
    import openpyxl  # here, not at the top: it pulls in numpy, half a second of every start

    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheet = book.active if book.active is not None else book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, [_cell(v) for v in values]
    finally:
        book.close()


def read_rows(filename: str, content: bytes, is_header: HeaderTest | None = None) -> Iterator[Row]:
    """(row number, cells) for every row, blank ones included; raises TableError.

    ``is_header`` tells the caller's header row, to choose a CSV file's delimiter.
    """
    name = filename or "?"
    if not content.strip():
        raise TableError("empty", name=name)
    if content.startswith(XLS_MAGIC):
        raise TableError("xls", name=name)
    if content.startswith(XLSX_MAGIC):
        return _checked(_xlsx_rows(content), name)
    try:
        text = _decode(content)
    except UnicodeDecodeError:
        raise TableError("unreadable", name=name) from None
    if "\x00" in text:
        raise TableError("unreadable", name=name)
    return _checked(_csv_rows(unicodedata.normalize("NFC", text), is_header), name)


def _checked(rows: Iterator[Row], name: str) -> Iterator[Row]:
    """Turns a broken file's parser error (zip, XML, CSV) into a kind TableError."""
    try:
        yield from rows
    except TableError:
        raise
    except Exception:  # untrusted bytes: openpyxl and zipfile raise many kinds of errors
        raise TableError("unreadable", name=name) from None
