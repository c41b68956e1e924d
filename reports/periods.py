"""Report periods as people write them: ``2026-W49``, ``2026-12``, ``2026-Q4``, ``2026`` or
``2026-10-01..2026-12-31``; each becomes inclusive local dates.

A minimal version for the re-verification draw and the funnel page; the reports helper owns
the full module (last complete month, trends), which keeps this signature.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

WEEK = re.compile(r"(\d{4})-W(\d{2})")
MONTH = re.compile(r"(\d{4})-(\d{2})")
QUARTER = re.compile(r"(\d{4})-Q([1-4])")
YEAR = re.compile(r"(\d{4})")
RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")
FORMS = "2026-W49, 2026-12, 2026-Q4, 2026 or 2026-10-01..2026-12-31"


@dataclass(frozen=True)
class Period:
    label: str
    start: date  # first local day, inclusive
    end: date  # last local day, inclusive


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _parse(text: str) -> Period:
    if match := WEEK.fullmatch(text):
        year, week = int(match.group(1)), int(match.group(2))
        monday = date.fromisocalendar(year, week, 1)
        return Period(text, monday, date.fromisocalendar(year, week, 7))
    if match := MONTH.fullmatch(text):
        year, month = int(match.group(1)), int(match.group(2))
        return Period(text, date(year, month, 1), _month_end(year, month))
    if match := QUARTER.fullmatch(text):
        year, quarter = int(match.group(1)), int(match.group(2))
        first = 3 * quarter - 2
        return Period(text, date(year, first, 1), _month_end(year, first + 2))
    if match := YEAR.fullmatch(text):
        year = int(match.group(1))
        return Period(text, date(year, 1, 1), date(year, 12, 31))
    if match := RANGE.fullmatch(text):
        start, end = date.fromisoformat(match.group(1)), date.fromisoformat(match.group(2))
        if start <= end:
            return Period(text, start, end)
    raise ValueError(text)


def parse_period(text: str, *, today: date) -> Period:
    """The period ``text`` names; ValueError with a plain explanation otherwise. ``today`` is
    part of the shared signature (the full module refuses periods that have not begun)."""
    cleaned = text.strip()
    try:
        return _parse(cleaned)
    except ValueError:
        raise ValueError(f"{text!r} is not a period such as {FORMS}") from None
