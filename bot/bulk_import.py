"""Bulk import of the day's resolved dossiers (TEMPORARY, CSV only).

A minimal stand-in implementing the agreed interface so that the staff upload page can be
built and tested; the full module (CSV and XLSX, richer column detection) is written in
parallel and replaces this file at merge.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field

from bot.links import LinkInfo, LinkService

MAX_ROWS = 5000
HEADERS = {
    "dossier_code": ("dossier_code", "dossier", "ma ho so", "so ho so"),
    "form": ("form", "doi tuong", "loai"),
    "procedure": ("procedure", "thu tuc", "linh vuc", "ten thu tuc"),
    "phone": ("phone", "so dien thoai", "dien thoai"),
}
FORMS = {
    "citizen": "citizen",
    "cong dan": "citizen",
    "ca nhan": "citizen",
    "nguoi dan": "citizen",
    "organization": "organization",
    "to chuc": "organization",
    "doanh nghiep": "organization",
    "": "citizen",
}
CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")
PHONE_PATTERN = re.compile(r"^\+?[0-9 .-]{8,20}$")


MESSAGES = {
    "not_csv": {
        "vi": "Không đọc được tệp “{name}”: tạm thời chỉ nhận tệp CSV.",
        "en": "Cannot read the file “{name}”: only CSV files are accepted for now.",
    },
    "encoding": {
        "vi": "Không đọc được tệp “{name}”: tệp không phải văn bản UTF-8.",
        "en": "Cannot read the file “{name}”: it is not UTF-8 text.",
    },
    "empty": {"vi": "Tệp “{name}” không có dữ liệu.", "en": "The file “{name}” has no data."},
    "no_code_column": {
        "vi": "Tệp “{name}” không có cột Mã hồ sơ ở dòng đầu.",
        "en": "The file “{name}” has no dossier code column in its first row.",
    },
    "too_many": {
        "vi": "Tệp “{name}” có hơn 5.000 dòng.",
        "en": "The file “{name}” has more than 5,000 rows.",
    },
}


class TableError(Exception):
    """The file as a whole cannot be used; ``str()`` says why, kindly, in the clerk's language."""

    def __init__(self, reason: str, name: str, locale: str) -> None:
        table = MESSAGES[reason]
        super().__init__(table.get(locale, table["vi"]).format(name=name))


@dataclass(frozen=True)
class ImportRow:
    row: int
    dossier_code: str
    form: str
    procedure: str | None
    phone: str | None


@dataclass(frozen=True)
class RowError:
    row: int
    reason: str


@dataclass
class ImportResult:
    created: list[LinkInfo] = field(default_factory=list)
    existing: list[LinkInfo] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().replace("_", " ").split())


def _columns(header: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        folded = _fold(name)
        for key, names in HEADERS.items():
            if key not in found and folded in {_fold(n) for n in names}:
                found[key] = index
    return found


def parse_table(
    filename: str, content: bytes, locale: str = "vi"
) -> tuple[list[ImportRow], list[RowError]]:
    if not filename.lower().endswith(".csv"):
        raise TableError("not_csv", filename, locale)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise TableError("encoding", filename, locale) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise TableError("empty", filename, locale)
    columns = _columns(rows[0])
    if "dossier_code" not in columns:
        raise TableError("no_code_column", filename, locale)
    if len(rows) - 1 > MAX_ROWS:
        raise TableError("too_many", filename, locale)
    good: list[ImportRow] = []
    errors: list[RowError] = []
    seen: set[str] = set()
    for number, raw in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in raw):
            continue

        def cell(key: str, raw: list[str] = raw) -> str:
            index = columns.get(key)
            return raw[index].strip() if index is not None and index < len(raw) else ""

        code = cell("dossier_code")
        form = FORMS.get(_fold(cell("form")))
        phone = cell("phone")
        if not code:
            errors.append(RowError(number, "the dossier code is empty"))
        elif not CODE_PATTERN.match(code):
            errors.append(RowError(number, f"the dossier code {code!r} is not valid"))
        elif form is None:
            errors.append(RowError(number, f"unknown respondent type {cell('form')!r}"))
        elif phone and not PHONE_PATTERN.match(phone):
            errors.append(RowError(number, f"the phone number {phone!r} is not valid"))
        elif code in seen:
            errors.append(RowError(number, f"the dossier {code} appears twice in the file"))
        else:
            seen.add(code)
            good.append(ImportRow(number, code, form, cell("procedure") or None, phone or None))
    return good, errors


async def import_table(
    links: LinkService,
    *,
    unit_code: str,
    filename: str,
    content: bytes,
    actor: str,
    locale: str = "vi",
) -> ImportResult:
    rows, errors = parse_table(filename, content, locale)
    result = ImportResult(errors=list(errors))
    for row in rows:
        info = await links.create(
            unit_code=unit_code,
            dossier_code=row.dossier_code,
            form=row.form,
            procedure=row.procedure,
            phone=row.phone,
            actor=actor,
        )
        (result.created if info.created else result.existing).append(info)
    return result


def result_csv(result: ImportResult, links: LinkService, locale: str = "vi") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["dossier_code", "status", "web", "telegram", "zalo", "text", "error"])
    for info in [*result.created, *result.existing]:
        data = links.as_json(info, locale)
        writer.writerow(
            [
                data["dossier"],
                "created" if info.created else "existing",
                data["links"]["web"],
                data["links"]["telegram"] or "",
                data["links"]["zalo"] or "",
                data["text"],
                "",
            ]
        )
    for error in result.errors:
        writer.writerow([f"row {error.row}", "error", "", "", "", "", error.reason])
    return buffer.getvalue().encode("utf-8-sig")
