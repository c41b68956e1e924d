"""Bulk creation of survey links from a clerk's spreadsheet (CSV or XLSX).

The staff upload page calls ``import_table`` and offers ``result_csv`` for download. Every
valid row gets its link; each invalid row is reported with its spreadsheet row number and a
reason in the clerk's language, without holding back the valid rows. Importing the same file
again creates nothing new (links are idempotent per unit and dossier code).

Up to ``MAX_ROWS`` (100,000) rows: the file is read in a worker process
(``bot.dossiers.import_worker``: once to check it as a whole, then chunk by chunk), and its
rows are linked ``CHUNK_ROWS`` at a time as the chunks arrive, each chunk in one transaction
of a few multi-row statements (``LinkService.create_chunk``). Only a few chunks' rows and
links are in memory at a time; what the clerk downloads is written as the chunks go, and the
result page lists the first ``SHOWN`` links and problems.
"""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass, field
from typing import IO, Any

from bot.dossiers.fields import FieldProblem
from bot.dossiers.import_rows import (
    CHUNK_ROWS,
    MAX_ROWS,
    MESSAGES,
    ImportRow,
    RowError,
    parse_chunks,
    parse_table,
)
from bot.dossiers.import_worker import parsed_elsewhere
from bot.dossiers.links import LinkInfo, LinkService
from bot.dossiers.tables import TableError, formula_safe
from storage.models import Unit
from storage.repos import audit, flow_versions, units
from storage.repos.link_batches import BatchLink, NewDossier

__all__ = [
    "CHUNK_ROWS",
    "MAX_ROWS",
    "MESSAGES",
    "SHOWN",
    "ImportResult",
    "ImportRow",
    "RowError",
    "TableError",
    "import_table",
    "parse_chunks",
    "parse_table",
    "result_csv",
]

SHOWN = 200  # links, and problems, listed on the result page; the CSV has every row
IN_MEMORY = 1024 * 1024  # bytes of the result CSV kept in memory before it goes to disk


@dataclass
class ImportResult:
    """Counts of the whole import, the first ``SHOWN`` links and problems, and the CSV."""

    created: int = 0
    existing: int = 0
    error_count: int = 0  # rows not imported
    warning_count: int = 0  # rows imported without a bad optional field
    links: list[LinkInfo] = field(default_factory=list)  # in row order
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    table: bytes = b""  # see result_csv


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


@dataclass
class _Chunk:
    """A chunk's valid rows' numbers (in the order of its links) and its problems."""

    numbers: list[int]
    errors: list[RowError]
    warnings: list[RowError]


class _Outcome:
    """The import's result as it is built, chunk by chunk (rows arrive in file order)."""

    def __init__(self, links: LinkService, unit: Unit, locale: str) -> None:
        self.links, self.unit, self.locale = links, unit, locale
        self.keys = links.directory.link_keys()
        self.result = ImportResult()
        self.shown: list[int] = []  # link ids of the first SHOWN links
        self.out: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)
        self._write([result_columns(self.keys)], bom=True)

    def _write(self, lines: list[list[Any]], bom: bool = False) -> None:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerows(lines)
        self.out.write(buffer.getvalue().encode("utf-8-sig" if bom else "utf-8"))

    def add(self, chunk: _Chunk, made: list[BatchLink]) -> None:
        """One chunk: its links (``made``, in the order of its numbers), its problems."""
        errors, warnings = chunk.errors, chunk.warnings
        result = self.result
        result.error_count += len(errors)
        result.warning_count += len(warnings)
        result.errors += errors[: SHOWN - len(result.errors)]
        result.warnings += warnings[: SHOWN - len(result.warnings)]
        notes = {warning.row: warning.reason for warning in warnings}
        invite = self.links.inviter(self.unit, self.locale)
        lines: list[list[Any]] = []
        for number, link in zip(chunk.numbers, made, strict=True):
            status = "created" if link.created else "existing"
            if link.created:
                result.created += 1
            else:
                result.existing += 1
            if len(self.shown) < SHOWN:
                self.shown.append(link.link_id)
            given = invite(link.token, link.short_code, link.form, link.dossier_code)
            chats = given["links"]
            # formula_safe where a cell holds the clerk's text (a code such as "-A1"); the
            # form, the status and our own https links cannot start a formula
            cells = [number, formula_safe(link.dossier_code), link.form, status, chats["web"]]
            cells += [chats[key] or "" for key in self.keys]
            note = notes.get(number, "")
            cells += [given["qr_png"], formula_safe(given["text"]), formula_safe(note)]
            lines.append(cells)
        blanks = [""] * (len(self.keys) + 3)
        lines += [[e.row, "", "", "error", *blanks, formula_safe(e.reason)] for e in errors]
        lines.sort(key=lambda line: line[0])
        self._write(lines)

    async def finish(self) -> ImportResult:
        self.result.links = await self.links.infos(self.unit, self.shown)
        self.out.seek(0)
        self.result.table = self.out.read()
        self.out.close()
        return self.result


async def import_table(
    links: LinkService,
    *,
    unit_code: str,
    filename: str,
    content: bytes,
    actor: str,
    locale: str = "vi",
    chunk_rows: int = CHUNK_ROWS,
) -> ImportResult:
    """Parse, then create (or find) each valid row's link, a chunk at a time; raises
    TableError (before any link is made) or NotFound.

    A chunk's links are committed together; should the import stop half-way (the server
    stopped), the clerk uploads the file again and only the missing links are made."""
    async with links.db.transaction() as session:
        unit = await units.require(session, unit_code)
        forms = {v.flow_key: v.form for v in await flow_versions.versions(session)}  # newest
    outcome = _Outcome(links, unit, locale)
    try:
        async with parsed_elsewhere(filename, content, locale, chunk_rows) as chunks:
            async for rows, problems in chunks:
                errors = [p for p in problems if not p.imported]
                wanted: list[tuple[int, NewDossier]] = []
                for row in rows:
                    if row.flow is not None and row.flow not in forms:
                        problem = FieldProblem("flow", "unknown_flow", value=row.flow)
                        errors.append(RowError(row.row, problem.text(locale)))
                        continue
                    form = forms[row.flow] if row.flow is not None else row.form
                    new = NewDossier(row.dossier_code, form, row.procedure, row.phone, row.flow)
                    wanted.append((row.row, new))
                errors.sort(key=lambda error: error.row)
                warnings = [p for p in problems if p.imported]
                made = await links.create_chunk(
                    unit, [new for _, new in wanted], actor=actor, source=filename
                ) if wanted else []  # fmt: skip
                numbers = [number for number, _ in wanted]
                outcome.add(_Chunk(numbers, errors, warnings), made)
        result = await outcome.finish()
    finally:
        outcome.out.close()
    async with links.db.transaction() as session:
        await audit.record(
            session,
            actor=actor,
            action="link.import",
            now=links.clock(),
            subject=unit_code,
            detail={
                "file": filename[:200],
                "created": result.created,
                "existing": result.existing,
                "errors": result.error_count,
                "warnings": result.warning_count,
            },
        )
    return result


def result_csv(result: ImportResult) -> bytes:
    """The links for the clerk to download: UTF-8 with a BOM so Excel shows Vietnamese right.

    One line per dossier row, in the file's order (``result_columns``); ``status`` is
    created (new link), existing (the dossier already had one) or error; cells are
    formula-safe; the file can be uploaded again as it is (its dossier_code and form columns
    are recognised).
    """
    return result.table
