"""The staff pages' words, in Vietnamese (default) and English, through the product's one
phrasebook mechanism (``flows.texts``): the words live in ``bot.web.staff.words``.

Templates call ``t("key")``; a key missing in English falls back to Vietnamese, a key missing
everywhere is a bug and raises (the page tests catch it).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.web.staff.words import STAFF_WORDS
from flows.texts import LOCALES, lookup

__all__ = ["LOCALES", "local_time", "translator"]


def translator(locale: str) -> Callable[..., str]:
    """``t(key, **values)`` for one page in ``locale``."""

    def t(key: str, /, **values: object) -> str:
        return lookup(STAFF_WORDS, key, locale, **values)

    return t


def local_time(moment: datetime, zone: ZoneInfo) -> str:
    """24/11/2026 09:00 in local time (the Vietnamese date order, used in both languages)."""
    return moment.astimezone(zone).strftime("%d/%m/%Y %H:%M")
