"""Pure parts of the scheduler: number formats, quiet hours, due times, weeks, the chart."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from flows.engine import RESUME
from scheduler.chart import factor_chart
from scheduler.config import HO_CHI_MINH, Schedule
from scheduler.formatting import change, day, number, percent
from scheduler.jobs import weeks_due
from scheduler.reminders import due_reminder, in_quiet_hours, reminder_message
from scheduler.weeks import digest_due, parse_week, shift, year_weeks
from tests.support.scheduler import MAU01

ZONE = HO_CHI_MINH


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZONE).astimezone(UTC)


def test_vietnamese_and_english_numbers() -> None:
    assert percent(87.4) == "87,4 %"
    assert percent(87.4, "en") == "87.4%"
    assert percent(None) == "—"
    assert number(10450) == "10.450"
    assert number(10450, locale="en") == "10,450"
    assert number(1234.5, 2) == "1.234,50"
    assert change(2.54) == "+2,5"
    assert change(-1.0) == "−1,0"
    assert change(0.01) == "±0,0"
    assert day(date(2026, 11, 24)) == "24/11/2026"


@pytest.mark.parametrize(
    ("moment", "quiet"),
    [
        (time(20, 59), False),
        (time(21, 0), True),
        (time(23, 30), True),
        (time(3, 0), True),
        (time(6, 59), True),
        (time(7, 0), False),
        (time(12, 0), False),
    ],
)
def test_quiet_hours_span_midnight(moment: time, quiet: bool) -> None:
    assert in_quiet_hours(moment, (time(21, 0), time(7, 0))) is quiet
    assert in_quiet_hours(moment, None) is False


def test_quiet_hours_within_a_day() -> None:
    assert in_quiet_hours(time(12, 30), (time(12, 0), time(13, 0)))
    assert not in_quiet_hours(time(13, 0), (time(12, 0), time(13, 0)))


def test_due_reminder_picks_the_latest_due_one() -> None:
    schedule = Schedule()
    last = local(2026, 11, 24, 9, 0)
    assert due_reminder(0, last, last + timedelta(hours=23, minutes=59), schedule) is None
    first = due_reminder(0, last, last + timedelta(hours=25), schedule)
    assert first is not None and first.number == 1 and first.late == timedelta(hours=1)
    assert due_reminder(1, last, last + timedelta(hours=71), schedule) is None
    both = due_reminder(0, last, last + timedelta(hours=73), schedule)
    assert both is not None and both.number == 2  # never two at once
    assert due_reminder(2, last, last + timedelta(days=9), schedule) is None


def test_schedule_rejects_a_second_reminder_before_the_first() -> None:
    with pytest.raises(ValueError, match="second reminder"):
        Schedule(first_after=timedelta(hours=72), second_after=timedelta(hours=24))


def test_reminder_shows_progress_and_one_continue_button() -> None:
    message = reminder_message(MAU01, "UBND xã Hòa Thành", 9, "vi")
    assert "Bạn đã trả lời 9/22 câu" in message.text
    assert "Chỉ còn 13 câu" in message.text
    assert message.prompt_id == RESUME
    assert [o.label for o in message.options] == ["Tiếp tục khảo sát"]
    done = reminder_message(MAU01, "X", 22, "en")
    assert "22/22" in done.text and "last step" in done.text


def test_weeks() -> None:
    assert parse_week("2026-W48") == (2026, 48)
    for bad in ("2026-48", "2026-W54", "W48", "2026-W00"):
        with pytest.raises(ValueError, match="ISO week"):
            parse_week(bad)
    assert shift("2026-W01", -1) == "2025-W52"
    assert shift("2026-W53", 1) == "2027-W01"  # 2026 has 53 ISO weeks
    assert year_weeks("2026-W03") == ["2026-W01", "2026-W02", "2026-W03"]
    due = digest_due("2026-W48", (0, time(7, 30)), ZONE)
    assert due == datetime(2026, 11, 30, 7, 30, tzinfo=ZONE)
    friday = digest_due("2026-W48", (4, time(17, 0)), ZONE)
    assert friday == datetime(2026, 12, 4, 17, 0, tzinfo=ZONE)


def test_digest_weeks_due_and_catch_up_bound() -> None:
    schedule = Schedule()
    # Digests stay due for two weeks after their time (catch-up after downtime).
    assert weeks_due(schedule, local(2026, 11, 30, 7, 29)) == ["2026-W46", "2026-W47"]
    assert weeks_due(schedule, local(2026, 11, 30, 7, 30)) == ["2026-W47", "2026-W48"]
    short = Schedule(digest_catch_up=timedelta(days=2))
    assert weeks_due(short, local(2026, 12, 1, 7, 29)) == ["2026-W48"]
    assert weeks_due(short, local(2026, 12, 2, 7, 30)) == []
    # Down for a month: only the last two weeks are caught up.
    assert weeks_due(schedule, local(2027, 1, 4, 8, 0)) == ["2026-W52", "2026-W53"]


def test_chart_is_a_png() -> None:
    png = factor_chart(
        ["F1", "F2", "F3", "F4", "F5"],
        [80.0, 75.0, None, 90.0, 60.0],
        [70.0, 75.0, 75.0, None, 65.0],
        title="Chỉ số các yếu tố",
        legend=("Tuần này", "Tuần trước"),
    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 5000
