"""Reading a clerk's dossier list into valid rows and row problems, chunk by chunk.

Knows the columns (names in Vietnamese or English, any case, with or without diacritics),
checks each row with ``bot.dossiers.fields`` and reports repeats of a dossier code across the
whole file. Blocking and CPU-bound: ``bot.dossiers.import_worker`` runs it in another process.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from bot.dossiers import fields as dossier_fields
from bot.dossiers.fields import FieldProblem, fold
from bot.dossiers.tables import MAX_SECONDS, Row, TableError, read_rows
from flows.texts import Phrasebook, lookup

MAX_ROWS = 100_000
"""Dossier rows in one file: a province's busiest month of resolved dossiers (the largest
one-stop exports seen are tens of thousands a month) fits one upload, and the import's work
stays bounded (about ten seconds, chunk by chunk, see ``bulk_import``). Not a defence against
a hostile file: the reader's unpacked-size, cell, column and time limits are."""
MAX_LINES = 2 * MAX_ROWS
"""Lines read, blank ones and a title included: room for a spreadsheet with a blank line after
every row, while a file of nothing but blank lines is refused long before its time limit."""
HEADER_SEARCH = 10  # a title line or two above the header row is common
CHUNK_ROWS = 1000
"""Rows handed on at once: enough that a chunk's few statements cost little per row, few
enough that a chunk's rows, its links and its statements' parameters stay small."""


@functools.lru_cache(maxsize=4096)  # a column's values repeat down the file ("Công dân")
def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(text))


# Accepted names, compared by _key (no case, no diacritics, no spaces or punctuation).
COLUMNS = {
    column: {_key(alias) for alias in aliases.split("|")}
    for column, aliases in {
        "dossier_code": "Mã hồ sơ|Số hồ sơ|Mã HS|Số HS|Mã|dossier_code|dossier|code",
        "form": "Loại|Đối tượng|Loại đối tượng|Mẫu|Mẫu phiếu|form|type|respondent",
        "procedure": "Thủ tục|Tên thủ tục|Thủ tục hành chính|Lĩnh vực|procedure",
        "phone": "Số điện thoại|Điện thoại|SĐT|Di động|phone|phone number",
        "flow": "Bộ câu hỏi|Mã bộ câu hỏi|flow|flow id",
    }.items()
}

FORM_VALUES = {
    _key(alias): form
    for form, aliases in {
        "citizen": "citizen|công dân|cá nhân|người dân|individual|person|Mẫu 01|01|1",
        "organization": "organization|organisation|tổ chức|doanh nghiệp|cơ quan|company|"
        "Mẫu 02|02|2",
    }.items()
    for alias in aliases.split("|")
}

MESSAGES: Phrasebook = {
    "no_code_column": {
        "vi": "Không tìm thấy cột “Mã hồ sơ” trong dòng tiêu đề của tệp “{name}”. Dòng đầu "
        "tiên của bảng cần có các cột: Mã hồ sơ, Loại, Thủ tục, Số điện thoại.",
        "en": "No “dossier_code” (Mã hồ sơ) column in the header row of “{name}”. The table's "
        "first row should name the columns: dossier_code, form, procedure, phone.",
    },
    "imported_without": {
        "vi": "{reason} — hồ sơ vẫn được nhập, bỏ trống trường này",
        "en": "{reason} — the dossier was imported without this field",
    },
    "no_rows": {
        "vi": "Tệp “{name}” chỉ có dòng tiêu đề, chưa có hồ sơ nào.",
        "en": "The file “{name}” has a header row but no dossiers.",
    },
    "too_many": {
        "vi": "Tệp “{name}” có hơn {limit_vi} dòng hồ sơ: xin chia thành nhiều tệp nhỏ hơn "
        "(mỗi tệp tối đa {limit_vi} dòng).",
        "en": "The file “{name}” has more than {limit_en} dossier rows: please split it into "
        "smaller files (at most {limit_en} rows each).",
    },
}


@dataclass(frozen=True)
class ImportRow:
    row: int
    dossier_code: str
    form: str
    procedure: str | None
    phone: str | None
    flow: str | None = None  # a published flow by id; None: the unit's default for the form


@dataclass(frozen=True)
class RowError:
    """``row`` is the spreadsheet row number (the header is row 1 in a plain table).
    ``imported``: the row was imported without the optional field the reason names."""

    row: int
    reason: str
    imported: bool = False


# A bad value in one of these costs only that value: the dossier is imported without it.
OPTIONAL = ("procedure", "phone")


def _names_a_dossier_column(cells: list[str]) -> bool:
    return any(_key(cell) in COLUMNS["dossier_code"] for cell in cells)


def _header(rows: Iterator[Row], name: str) -> dict[str, int]:
    """Column positions from the first row naming a dossier-code column."""
    seen = 0
    for _number, cells in rows:
        if not any(cells):
            continue
        keys = [_key(cell) for cell in cells]
        positions = {
            column: keys.index(alias)
            for column, aliases in COLUMNS.items()
            for alias in aliases
            if alias in keys
        }
        if "dossier_code" in positions:
            return positions
        seen += 1
        if seen >= HEADER_SEARCH:
            break
    raise TableError("no_code_column", MESSAGES, name=name)


def _form(value: str) -> str:
    if not value.strip():
        return "citizen"
    try:
        return FORM_VALUES[_key(value)]
    except KeyError:
        raise FieldProblem("form", "form", value=value.strip()) from None


def _row(
    number: int, cells: list[str], columns: dict[str, int], first_seen: dict[str, int]
) -> tuple[ImportRow | None, list[FieldProblem]]:
    def cell(column: str) -> str:
        position = columns.get(column)
        return cells[position] if position is not None and position < len(cells) else ""

    problems: list[FieldProblem] = []
    values: dict[str, str | None] = {}
    checks = {
        "dossier_code": dossier_fields.dossier_code,
        "form": _form,
        "procedure": dossier_fields.procedure,
        "phone": dossier_fields.phone,
        "flow": dossier_fields.flow_id,
    }
    for column, check in checks.items():
        try:
            values[column] = check(cell(column))
        except FieldProblem as problem:
            problems.append(problem)
    code = values.get("dossier_code")
    if code is not None:
        if code in first_seen:
            problems.insert(
                0, FieldProblem("dossier_code", "duplicate", value=code, row=first_seen[code])
            )
        else:
            first_seen[code] = number
    if any(p.field not in OPTIONAL for p in problems):
        return None, problems
    return ImportRow(
        number,
        code or "",
        values["form"] or "citizen",
        values.get("procedure"),
        values.get("phone"),
        values.get("flow"),
    ), problems


Chunk = tuple[list[ImportRow], list[RowError]]


def _too_many(name: str) -> TableError:
    return TableError(
        "too_many",
        MESSAGES,
        name=name,
        limit_vi=f"{MAX_ROWS:,}".replace(",", "."),
        limit_en=f"{MAX_ROWS:,}",
    )


def _dossier_rows(rows: Iterator[Row], columns: dict[str, int], name: str) -> Iterator[Row]:
    """The rows with something in a known column, at most ``MAX_ROWS`` of them; raises
    TableError past the limit, or at the end when there was none."""
    counted = 0  # dossier rows, valid or not
    for number, cells in rows:
        if not any(cells[p] for p in columns.values() if p < len(cells)):
            continue  # blank, or only a pre-numbered STT left in a template
        if counted >= MAX_ROWS:
            raise _too_many(name)
        counted += 1
        yield number, cells
    if not counted:
        raise TableError("no_rows", MESSAGES, name=name)


def check_table(filename: str, content: bytes, locale: str = "vi") -> int:
    """The file read once to its end within every limit that can refuse it as a whole (the
    reader's, the header, ``MAX_ROWS``, no rows), the rows' fields unchecked; the number of
    dossier rows. Raises TableError as ``parse_chunks`` would, but before any chunk: after
    this, ``parse_chunks`` of the same file yields chunks to its end (its time limit aside,
    see there), so each chunk can be linked as soon as it is parsed."""
    name = filename or "?"
    try:
        rows = read_rows(name, content, _names_a_dossier_column, max_lines=MAX_LINES)
        return sum(1 for _ in _dossier_rows(rows, _header(rows, name), name))
    except TableError as exc:
        raise exc.localized(locale) from None


def parse_chunks(
    filename: str,
    content: bytes,
    locale: str = "vi",
    chunk_rows: int = CHUNK_ROWS,
    *,
    seconds: float = MAX_SECONDS,
) -> Iterator[Chunk]:
    """The file's valid rows and row problems, in row order, ``chunk_rows`` rows at a time
    (a chunk's problems belong to its rows' stretch of the file); raises TableError when the
    file as a whole is unusable, possibly after some chunks (so read them all before acting,
    or ``check_table`` the file first). ``seconds``: the reading's time limit (a file that
    ``check_table`` has read within it needs none the second time).

    A row whose only problems are in optional fields (procedure, phone) is valid without
    them; its problems are reported with ``imported=True``.
    """
    name = filename or "?"
    try:
        rows = read_rows(
            name, content, _names_a_dossier_column, max_lines=MAX_LINES, seconds=seconds
        )
        columns = _header(rows, name)
        found: list[ImportRow] = []
        errors: list[RowError] = []
        first_seen: dict[str, int] = {}
        for number, cells in _dossier_rows(rows, columns, name):
            row, problems = _row(number, cells, columns, first_seen)
            if row is not None:
                found.append(row)
            if problems:
                reason = "; ".join(p.text(locale) for p in problems)
                if row is not None:
                    reason = lookup(MESSAGES, "imported_without", locale, reason=reason)
                errors.append(RowError(number, reason, imported=row is not None))
            if len(found) + len(errors) >= chunk_rows:
                yield found, errors
                found, errors = [], []
        if found or errors:
            yield found, errors
    except TableError as exc:
        raise exc.localized(locale) from None


def parse_table(
    filename: str, content: bytes, locale: str = "vi"
) -> tuple[list[ImportRow], list[RowError]]:
    """All valid rows and row errors at once (see ``parse_chunks``): for small files."""
    found: list[ImportRow] = []
    errors: list[RowError] = []
    for rows, problems in parse_chunks(filename, content, locale):
        found += rows
        errors += problems
    return found, errors
