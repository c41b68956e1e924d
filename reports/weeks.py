"""ISO weeks as reports use them: ``2026-W48``, their local bounds and neighbours."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEK = re.compile(r"(\d{4})-W(\d{2})")


def parse_week(text: str) -> tuple[int, int]:
    """``2026-W48`` -> (2026, 48); ValueError with a plain explanation otherwise."""
    match = WEEK.fullmatch(text.strip())
    if match:
        year, week = int(match.group(1)), int(match.group(2))
        try:
            date.fromisocalendar(year, week, 1)
            return year, week
        except ValueError:
            pass
    raise ValueError(f"{text!r} is not an ISO week such as 2026-W48")


def week_name(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def monday(iso_week: str) -> date:
    year, week = parse_week(iso_week)
    return date.fromisocalendar(year, week, 1)


def shift(iso_week: str, weeks: int) -> str:
    return week_name(monday(iso_week) + timedelta(weeks=weeks))


def year_weeks(iso_week: str) -> list[str]:
    """The ISO year's weeks from W01 up to and including ``iso_week``."""
    year, week = parse_week(iso_week)
    return [f"{year}-W{n:02d}" for n in range(1, week + 1)]


def start_of(iso_week: str, zone: ZoneInfo) -> datetime:
    """Monday 00:00 local time of the week, as an aware datetime."""
    return datetime.combine(monday(iso_week), time(0), tzinfo=zone)


def end_of(iso_week: str, zone: ZoneInfo) -> datetime:
    return start_of(shift(iso_week, 1), zone)
