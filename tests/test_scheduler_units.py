"""Pure parts of the scheduler: quiet hours, reminder and digest due times."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pytest

from bot.flow_admin.catalog import DEFAULT_FLOWS
from flows.engine import RESUME
from flows.loader import load_flow_file
from flows.paths import standing
from scheduler.config import HO_CHI_MINH, Schedule
from scheduler.jobs import digest_due, weeks_due
from scheduler.reminders import due_reminder, in_quiet_hours, reminder_message
from tests.support.scheduler import MAU01

ZONE = HO_CHI_MINH


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=ZONE).astimezone(UTC)


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
    assert "Ông/Bà đã trả lời 9/22 câu" in message.text
    assert "Chỉ còn 13 câu" in message.text
    assert message.prompt_id == RESUME
    assert [o.label for o in message.options] == ["Tiếp tục khảo sát"]
    done = reminder_message(MAU01, "X", 22, "en")
    assert "22/22" in done.text and "last step" in done.text


def test_reminder_counts_the_questions_this_respondent_sees() -> None:
    """Skip logic: no fee paid, filed in person -> 21 - 2 fee - 3 online questions = 16
    to see (feedback_handled still may come); a hidden question's answer is not counted."""
    flow = load_flow_file(DEFAULT_FLOWS / "qd1001.toml")
    answers = {"filed": 1, "info": 4, "documents": 4, "fee_paid": 2, "fee_right": 4}
    answered, total = standing(flow, answers)
    assert (answered, total) == (4, 16)
    message = reminder_message(flow, "X", answered, "vi", total)
    assert "Ông/Bà đã trả lời 4/16 câu" in message.text and "Chỉ còn 12 câu" in message.text


def test_digest_due() -> None:
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
