"""Report periods: an ISO week (``2026-W49``), a month (``2026-12``), a quarter (``2026-Q4``),
a calendar year (``2026``, 1 January to 31 December, not 52 ISO weeks) or a range of local
dates (``2026-10-01..2026-12-31``). Bounds are inclusive local dates; counters are keyed by
local date, so every period is a sum of the same rows and periods agree with each other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Kind = Literal["week", "month", "quarter", "year", "range"]

WEEK = re.compile(r"(\d{4})-W(\d{1,2})")
MONTH = re.compile(r"(\d{4})-(\d{1,2})")
QUARTER = re.compile(r"(\d{4})-Q(\d)")
YEAR = re.compile(r"(\d{4})")
RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")
EXAMPLES = "2026-W49, 2026-12, 2026-Q4, 2026 or 2026-10-01..2026-12-31"
MAX_RANGE_DAYS = 366 * 5
TREND_LENGTH: dict[str, int] = {"week": 12, "month": 12, "quarter": 4, "year": 3, "range": 1}


class PeriodError(ValueError):
    """A period that cannot be read; the message says what is expected."""


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date  # inclusive
    kind: Kind = "range"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_json(self) -> dict[str, str]:
        return {"label": self.label, "from": self.start.isoformat(), "to": self.end.isoformat()}


def week(year: int, number: int) -> Period:
    first = date.fromisocalendar(year, number, 1)
    return Period(f"{year}-W{number:02d}", first, first + timedelta(days=6), "week")


def month(year: int, number: int) -> Period:
    first = date(year, number, 1)
    following = date(year + number // 12, number % 12 + 1, 1)
    return Period(f"{year}-{number:02d}", first, following - timedelta(days=1), "month")


def quarter(year: int, number: int) -> Period:
    first = month(year, 3 * number - 2)
    return Period(f"{year}-Q{number}", first.start, month(year, 3 * number).end, "quarter")


def year(number: int) -> Period:
    return Period(f"{number}", date(number, 1, 1), date(number, 12, 31), "year")


def date_range(start: date, end: date) -> Period:
    return Period(f"{start.isoformat()}..{end.isoformat()}", start, end, "range")


def parse_period(text: str | None, *, today: date) -> Period:
    """The period ``text`` names; empty or None is the last complete month before ``today``."""
    cleaned = (text or "").strip()
    if not cleaned:
        return last_complete_month(today)
    try:
        found = _parse(cleaned.upper())
    except ValueError as exc:
        raise PeriodError(f"{cleaned!r} is not a valid period: {exc}") from None
    if found is None:
        raise PeriodError(f"{cleaned!r} is not a period; use one of {EXAMPLES}")
    return found


def _parse(text: str) -> Period | None:
    if match := WEEK.fullmatch(text):
        number_year, number = int(match.group(1)), int(match.group(2))
        try:
            return week(number_year, number)
        except ValueError:
            raise ValueError(f"{number_year} has no ISO week {number}") from None
    if match := QUARTER.fullmatch(text):
        if not 1 <= int(match.group(2)) <= 4:
            raise ValueError("a quarter is Q1 to Q4")
        return quarter(int(match.group(1)), int(match.group(2)))
    if match := MONTH.fullmatch(text):
        if not 1 <= int(match.group(2)) <= 12:
            raise ValueError("a month is 01 to 12")
        return month(int(match.group(1)), int(match.group(2)))
    if match := YEAR.fullmatch(text):
        return year(int(match.group(1)))
    if match := RANGE.fullmatch(text):
        start, end = (date.fromisoformat(match.group(i)) for i in (1, 2))
        if end < start:
            raise ValueError("the range ends before it starts")
        if (end - start).days >= MAX_RANGE_DAYS:
            raise ValueError("a range is at most five years long")
        return date_range(start, end)
    return None


def last_complete_month(today: date) -> Period:
    first = today.replace(day=1) - timedelta(days=1)
    return month(first.year, first.month)


def previous(period: Period) -> Period:
    """The period of the same kind just before ``period`` (a range: as many days before)."""
    day_before = period.start - timedelta(days=1)
    if period.kind == "week":
        iso_year, number, _ = day_before.isocalendar()
        return week(iso_year, number)
    if period.kind == "month":
        return month(day_before.year, day_before.month)
    if period.kind == "quarter":
        return quarter(day_before.year, (day_before.month - 1) // 3 + 1)
    if period.kind == "year":
        return year(day_before.year)
    return date_range(period.start - timedelta(days=period.days), day_before)


def trend_periods(period: Period) -> list[Period]:
    """The periods of a trend, oldest first, ending with ``period``: 12 weeks, 12 months,
    4 quarters or 3 years; a range has no natural neighbours and stands alone.
    """
    found = [period]
    for _ in range(TREND_LENGTH[period.kind] - 1):
        found.append(previous(found[-1]))
    return found[::-1]
