"""The scheduler's settings as plain values (bot.app builds them from its Settings object).

Keeping them plain keeps the scheduler free of the bot's settings class and lets tests build
one in a line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo

HO_CHI_MINH = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class Schedule:
    zone: ZoneInfo = HO_CHI_MINH
    first_after: timedelta = timedelta(hours=24)
    second_after: timedelta = timedelta(hours=72)
    quiet_hours: tuple[time, time] | None = (time(21, 0), time(7, 0))
    weekly_at: tuple[int, time] = (0, time(7, 30))  # (weekday 0 = Monday, local time)
    tick: timedelta = timedelta(seconds=60)
    # A reminder this late (process down, long quiet hours) is no longer sent.
    reminder_max_late: timedelta = timedelta(hours=24)
    # A weekly digest is still caught up this long after it was due, not later.
    digest_catch_up: timedelta = timedelta(days=14)
    # Inbound update ids are kept this long to recognise re-deliveries.
    keep_update_ids: timedelta = timedelta(days=2)
    # A respondent's chat id is kept this long after completion (for /xoadulieu), then dropped.
    keep_chat_ids: timedelta = timedelta(days=30)
    # The staff work list of reports / petitions, linked from digests ("" for no link).
    complaints_url: str = ""
    # [privacy]: phones (and any chat id left) go this long after the re-check window closes.
    recheck_window: timedelta = timedelta(days=60)
    retention: timedelta = timedelta(days=90)

    def __post_init__(self) -> None:
        if self.second_after <= self.first_after:
            raise ValueError("the second reminder must come after the first")
        if not 0 <= self.weekly_at[0] <= 6:
            raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
