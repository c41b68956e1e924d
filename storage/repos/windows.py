"""Inclusive local dates as a half-open UTC window, for queries over stored UTC timestamps."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # callers pass the settings' [locale] timezone


def utc_window(start: date, end: date, zone: tzinfo = DEFAULT_ZONE) -> tuple[datetime, datetime]:
    """From ``start`` 00:00 local up to (not including) the day after ``end``, in UTC."""
    low = datetime.combine(start, time(0), tzinfo=zone).astimezone(UTC)
    high = datetime.combine(end + timedelta(days=1), time(0), tzinfo=zone).astimezone(UTC)
    return low, high
