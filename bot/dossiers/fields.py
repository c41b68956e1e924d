"""What a dossier's fields may hold, checked in one place for the CLI, the API and the import.

Each check returns the cleaned value or raises FieldProblem, whose text names the field and
says how to fix it, in Vietnamese or English.
"""

from __future__ import annotations

import re
import unicodedata

from flows.texts import Phrasebook, lookup, without_controls

FORMS = ("citizen", "organization")
CODE_PATTERN = r"^[A-Za-z0-9_./-]+$"
MAX_CODE = 64
# A unit code: capitals, digits and dashes (XA-HOATHANH), as printed on links and reports.
UNIT_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]{0,63}$"
# A flow id (the ``key`` of a flow file): mau01, mau02, a copy such as mau01-2027.
FLOW_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
MAX_PROCEDURE = 255
_CODE = re.compile(CODE_PATTERN)
_UNIT_CODE = re.compile(UNIT_CODE_PATTERN)
_FLOW_ID = re.compile(FLOW_ID_PATTERN)
_PHONE_NOISE = re.compile(r"[\s.\-()]")
# The common written forms of a number ``phone`` accepts, for documents such as the OpenAPI
# schema (``phone`` itself accepts more: any spaces, dots, dashes and brackets).
PHONE_PATTERN = r"^(0|\+84 ?)[0-9]{3} ?[0-9]{3} ?[0-9]{3,4}$"

LABELS: Phrasebook = {
    "dossier_code": {"vi": "Mã hồ sơ", "en": "dossier_code"},
    "form": {"vi": "Loại", "en": "form"},
    "procedure": {"vi": "Thủ tục", "en": "procedure"},
    "phone": {"vi": "Số điện thoại", "en": "phone"},
    "unit": {"vi": "Đơn vị", "en": "unit"},
    "flow": {"vi": "Bộ câu hỏi", "en": "flow"},
}

REASONS: Phrasebook = {
    "required": {"vi": "{label} đang để trống", "en": "{label} is missing"},
    "code_chars": {
        "vi": "{label} “{value}” chỉ được gồm chữ không dấu, chữ số và các dấu . _ / -",
        "en": "{label} {value!r} may contain only letters A-Z, digits and . _ / -",
    },
    "unit_chars": {
        "vi": "{label} “{value}” chỉ được gồm chữ in hoa không dấu, chữ số và dấu - "
        "(tối đa 64 ký tự, ví dụ XA-HOATHANH)",
        "en": "{label} {value!r} may contain only capitals A-Z, digits and - "
        "(at most 64 characters, e.g. XA-HOATHANH)",
    },
    "flow_chars": {
        "vi": "{label} “{value}” chỉ được gồm chữ không dấu, chữ số và các dấu . _ - "
        "(tối đa 64 ký tự, ví dụ mau01)",
        "en": "{label} {value!r} may contain only letters A-Z, digits and . _ - "
        "(at most 64 characters, e.g. mau01)",
    },
    "too_long": {
        "vi": "{label} quá dài ({length} ký tự, tối đa {limit})",
        "en": "{label} is too long ({length} characters, at most {limit})",
    },
    "form": {
        "vi": "{label} “{value}” không hợp lệ: ghi “công dân” hoặc “tổ chức”",
        "en": "{label} {value!r} is not valid: write citizen or organization",
    },
    "phone": {
        "vi": "{label} “{value}” không hợp lệ (ví dụ đúng: 0912 345 678)",
        "en": "{label} {value!r} is not a Vietnamese phone number (e.g. 0912 345 678)",
    },
    "unknown_flow": {
        "vi": "{label} “{value}” chưa được công bố (xem danh sách bộ câu hỏi)",
        "en": "{label} {value!r} is not a published flow (see: sipas-bot flows list)",
    },
    "duplicate": {
        "vi": "{label} “{value}” trùng với dòng {row}",
        "en": "{label} {value!r} repeats row {row}",
    },
}


class FieldProblem(ValueError):
    """A field's value cannot be used; ``text(locale)`` explains it to a person."""

    def __init__(self, field: str, reason: str, **values: object) -> None:
        self.field = field
        self.reason = reason
        self.values = values
        super().__init__(self.text("en"))

    def text(self, locale: str = "vi") -> str:
        label = lookup(LABELS, self.field, locale) if self.field in LABELS else self.field
        return lookup(REASONS, self.reason, locale, label=label, **self.values)


def fold(text: str) -> str:
    """Lower case without Vietnamese diacritics, spaces folded: "Mã  hồ sơ" -> "ma ho so"."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.casefold().split())


def _limited(field: str, value: str, limit: int) -> str:
    if len(value) > limit:
        raise FieldProblem(field, "too_long", length=len(value), limit=limit)
    return value


def dossier_code(value: str) -> str:
    code = value.strip()
    if not code:
        raise FieldProblem("dossier_code", "required")
    _limited("dossier_code", code, MAX_CODE)
    if not _CODE.match(code):
        raise FieldProblem("dossier_code", "code_chars", value=code[:80])
    return code


def _identifier(field: str, value: str, pattern: re.Pattern[str]) -> str:
    text = value.strip()
    if not text:
        raise FieldProblem(field, "required")
    if not pattern.match(text):
        raise FieldProblem(field, f"{field}_chars", value=text[:80])
    return text


def unit_code(value: str) -> str:
    """A unit code as the staff pages, the API and the CLI accept it."""
    return _identifier("unit", value, _UNIT_CODE)


def flow_id(value: str) -> str | None:
    """A flow picked by id (e.g. "qd1001") by the same rule for the CLI, the staff pages, the
    API and imports; None (the unit's default flow) when empty."""
    if not value.strip():
        return None
    return _identifier("flow", value, _FLOW_ID)


def procedure(value: str | None) -> str | None:
    text = " ".join(without_controls(value or "").split())
    return _limited("procedure", text, MAX_PROCEDURE) if text else None


def phone(value: str | None) -> str | None:
    """A Vietnamese number as 0xxxxxxxxx; +84/84 prefixes and spaces, dots, dashes accepted.

    Nine digits without the leading 0 are accepted too: spreadsheets drop it from numbers.
    """
    raw = (value or "").strip()
    if not raw:
        return None
    digits = _PHONE_NOISE.sub("", raw)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    elif digits.isdigit() and len(digits) == 9 and not digits.startswith("0"):
        digits = "0" + digits
    if not re.fullmatch(r"0\d{9,10}", digits):
        raise FieldProblem("phone", "phone", value=raw)
    return digits
