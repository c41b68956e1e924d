"""The injectable clock and the local-time helpers built on it.

Everything that needs "now" receives a Clock, so tests travel in time without sleeping.
Timestamps are stored in UTC and shown in the configured zone (Asia/Ho_Chi_Minh).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


class ManualClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        from datetime import timedelta

        self.now = self.now + timedelta(**delta)
        return self.now


def iso_week(moment: datetime, zone: ZoneInfo) -> str:
    """The ISO week of ``moment`` in local time, e.g. ``2026-W48``."""
    year, week, _ = moment.astimezone(zone).isocalendar()
    return f"{year}-W{week:02d}"
