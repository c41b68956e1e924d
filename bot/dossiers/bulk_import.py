"""Bulk creation of survey links from a clerk's spreadsheet (CSV or XLSX).

The staff upload page calls ``import_table`` and offers ``result_csv`` for download. Every
valid row gets its link; each invalid row is reported with its spreadsheet row number and a
reason in the clerk's language, without holding back the valid rows. Importing the same file
again creates nothing new (links are idempotent per unit and dossier code).
"""

from __future__ import annotations

import asyncio
import csv
import io
import multiprocessing
import re
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field

from bot.dossiers import fields as dossier_fields
from bot.dossiers.fields import FieldProblem, fold
from bot.dossiers.links import LinkInfo, LinkService
from bot.dossiers.tables import Row, TableError, formula_safe, read_rows
from flows.texts import Phrasebook, lookup
from storage.repos import audit, flow_versions, units

__all__ = [
    "MAX_ROWS",
    "ImportResult",
    "ImportRow",
    "RowError",
    "TableError",
    "import_table",
    "parse_table",
    "result_csv",
]

MAX_ROWS = 5000
MAX_LINES = 2 * MAX_ROWS  # rows read, blank ones and a title included
HEADER_SEARCH = 10  # a title line or two above the header row is common


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


@dataclass
class ImportResult:
    created: list[LinkInfo]
    existing: list[LinkInfo]
    errors: list[RowError]
    rows: dict[str, int] = field(default_factory=dict)  # dossier code -> row number
    warnings: list[RowError] = field(default_factory=list)  # imported without a bad field


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


def parse_table(
    filename: str, content: bytes, locale: str = "vi"
) -> tuple[list[ImportRow], list[RowError]]:
    """Valid rows and row errors; raises TableError when the file as a whole is unusable.

    A row whose only problems are in optional fields (procedure, phone) is valid without
    them; its problems are reported with ``imported=True``.
    """
    name = filename or "?"
    try:
        rows = read_rows(name, content, _names_a_dossier_column, max_lines=MAX_LINES)
        columns = _header(rows, name)
        found: list[ImportRow] = []
        errors: list[RowError] = []
        first_seen: dict[str, int] = {}
        for number, cells in rows:
            if not any(cells[p] for p in columns.values() if p < len(cells)):
                continue  # blank, or only a pre-numbered STT left in a template
            if len(found) + sum(not e.imported for e in errors) >= MAX_ROWS:
                raise TableError(
                    "too_many",
                    MESSAGES,
                    name=name,
                    limit_vi=f"{MAX_ROWS:,}".replace(",", "."),
                    limit_en=f"{MAX_ROWS:,}",
                )
            row, problems = _row(number, cells, columns, first_seen)
            if row is not None:
                found.append(row)
            if problems:
                reason = "; ".join(p.text(locale) for p in problems)
                if row is not None:
                    reason = lookup(MESSAGES, "imported_without", locale, reason=reason)
                errors.append(RowError(number, reason, imported=row is not None))
        if not found and not errors:
            raise TableError("no_rows", MESSAGES, name=name)
    except TableError as exc:
        raise exc.localized(locale) from None
    return found, errors


_PARSERS: ProcessPoolExecutor | None = None
PARSERS_AT_ONCE = 2  # spreadsheets read at the same time; others wait their turn


def _parsers() -> ProcessPoolExecutor:
    """The worker processes that read uploaded tables, started on the first import."""
    global _PARSERS
    if _PARSERS is None:
        context = multiprocessing.get_context("spawn")  # no fork of a threaded server
        _PARSERS = ProcessPoolExecutor(max_workers=PARSERS_AT_ONCE, mp_context=context)
    return _PARSERS


async def parse_elsewhere(
    filename: str, content: bytes, locale: str
) -> tuple[list[ImportRow], list[RowError]]:
    """``parse_table`` in a worker process; a worker that died is replaced, and the file
    is refused as unreadable rather than the server failing."""
    global _PARSERS
    loop = asyncio.get_running_loop()
    try:
        return await loop.run_in_executor(_parsers(), parse_table, filename, content, locale)
    except BrokenProcessPool:
        _PARSERS = None
        raise TableError("unreadable", name=filename or "?").localized(locale) from None


async def import_table(
    links: LinkService,
    *,
    unit_code: str,
    filename: str,
    content: bytes,
    actor: str,
    locale: str = "vi",
) -> ImportResult:
    """Parse, then create (or find) each valid row's link; raises TableError or NotFound.

    Parsing runs in a worker process (bounded: see bot.dossiers.tables): reading a large
    spreadsheet is pure-Python work that, in a thread, would still take the interpreter lock
    from the event loop; in another process the web chat and the pages keep their speed."""
    rows, problems = await parse_elsewhere(filename, content, locale)
    async with links.db.transaction() as session:
        await units.require(session, unit_code)
        published = {v.flow_key for v in await flow_versions.versions(session)}
    result = ImportResult(
        created=[],
        existing=[],
        errors=[p for p in problems if not p.imported],
        warnings=[p for p in problems if p.imported],
    )
    for row in rows:
        if row.flow is not None and row.flow not in published:
            problem = FieldProblem("flow", "unknown_flow", value=row.flow)
            result.errors.append(RowError(row.row, problem.text(locale)))
            continue
        info = await links.create(
            unit_code=unit_code,
            dossier_code=row.dossier_code,
            form=row.form,
            procedure=row.procedure,
            phone=row.phone,
            actor=actor,
            flow=row.flow,
        )
        (result.created if info.created else result.existing).append(info)
        result.rows[row.dossier_code] = row.row
    async with links.db.transaction() as session:
        await audit.record(
            session,
            actor=actor,
            action="link.import",
            now=links.clock(),
            subject=unit_code,
            detail={
                "file": filename[:200],
                "created": len(result.created),
                "existing": len(result.existing),
                "errors": len(result.errors),
                "warnings": len(result.warnings),
            },
        )
    return result


def result_columns(link_keys: list[str]) -> list[str]:
    """``row, dossier_code, form, status, web_link, <channel>_link..., qr_url, text, error``."""
    channels = [f"{key}_link" for key in link_keys]
    return [
        "row",
        "dossier_code",
        "form",
        "status",
        "web_link",
        *channels,
        "qr_url",
        "text",
        "error",
    ]


def result_csv(result: ImportResult, links: LinkService, locale: str = "vi") -> bytes:
    """The links for the clerk to download: UTF-8 with a BOM so Excel shows Vietnamese right.

    ``status`` is created (new link), existing (the dossier already had one) or error; the
    file can be uploaded again as it is (its dossier_code and form columns are recognised).
    """
    keys = links.directory.link_keys()
    notes = {warning.row: warning.reason for warning in result.warnings}
    lines: list[tuple[int, list[str]]] = []
    for status, infos in (("created", result.created), ("existing", result.existing)):
        for info in infos:
            data = links.as_json(info, locale)
            number = result.rows.get(data["dossier"], 0)
            lines.append(
                (
                    number,
                    [
                        data["dossier"],
                        data["form"],
                        status,
                        data["links"]["web"],
                        *(data["links"][key] or "" for key in keys),
                        data["qr_png"],
                        data["text"],
                        notes.get(number, ""),
                    ],
                )
            )
    for error in result.errors:
        blanks = [""] * (len(keys) + 3)
        lines.append((error.row, ["", "", "error", *blanks, error.reason]))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(result_columns(keys))
    for number, cells in sorted(lines, key=lambda line: line[0]):
        writer.writerow([number, *(formula_safe(cell) for cell in cells)])
    return buffer.getvalue().encode("utf-8-sig")
