"""Vietnamese mobile numbers in the form ZNS wants: ``84`` and nine digits."""

from __future__ import annotations

import re

MOBILE_PREFIXES = "35789"  # 03x, 05x, 07x, 08x, 09x after the leading 0


class InvalidPhone(ValueError):
    """The number cannot receive a ZNS message; ``str()`` says why (without the number)."""


def normalise_phone(text: str) -> str:
    """``0912 345 678``, ``+84 912.345.678``, ``84912345678`` → ``84912345678``."""
    compact = re.sub(r"[\s.\-()]", "", text or "")
    if not compact:
        raise InvalidPhone("no phone number")
    if compact.startswith("+"):
        compact = compact[1:]
    elif compact.startswith("0084"):
        compact = compact[2:]
    if not compact.isdigit():
        raise InvalidPhone("a phone number has only digits, spaces, dots and a leading +")
    if compact.startswith("84"):
        national = compact[2:]
    elif compact.startswith("0"):
        national = compact[1:]
    else:
        raise InvalidPhone("expected a Vietnamese number starting with 0, 84 or +84")
    if len(national) != 9:
        raise InvalidPhone("a Vietnamese mobile number has 10 digits (0 and nine more)")
    if national[0] not in MOBILE_PREFIXES:
        raise InvalidPhone("not a Vietnamese mobile number (03, 05, 07, 08 or 09)")
    return "84" + national
