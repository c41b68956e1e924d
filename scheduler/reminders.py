"""Reminders to respondents who opened the survey and stopped.

A periodic scan, not a timer per session: the database says who is due, so a restart loses
nothing. Each reminder is claimed (``reminder:<session>:<n>``) in the same transaction that
advances ``reminders_sent``, committed, and only then sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from flows.engine import RESUME
from flows.model import Flow
from flows.outbound import ConversationRef, Message, Option, to_payload
from flows.paths import standing
from reports.figures import FlowLookup
from scheduler.clock import Clock
from scheduler.config import Schedule
from scheduler.sending import Sender, send_claimed
from scheduler.texts import phrase
from storage.db import Database
from storage.models import Unit
from storage.repos import deliveries, surveys
from storage.repos import reminders as repo

log = logging.getLogger(__name__)

MAX_REMINDERS = 2
# What a respondent may type instead of pressing "continue": it matches no answer of any
# question, so typing it can never record an answer by accident (the survey re-shows the
# current question instead).
CONTINUE_KEY = "ok"


def in_quiet_hours(local: time, quiet: tuple[time, time] | None) -> bool:
    """Whether a local time of day falls in the quiet range (which may span midnight)."""
    if quiet is None:
        return False
    start, end = quiet
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def reminder_key(session_id: int, number: int) -> str:
    return f"reminder:{session_id}:{number}"


def reminder_message(
    flow: Flow, unit_name: str, answered: int, locale: str, total: int | None = None
) -> Message:
    """The reminder: progress, and one button that resumes the survey where it stopped.
    ``total``: the questions this respondent will see (skip logic), else all of them."""
    total = flow.total if total is None else total
    left = max(total - answered, 0)
    rest = (
        phrase("reminder_rest", locale, left=left) if left else phrase("reminder_last_step", locale)
    )
    text = phrase("reminder", locale, unit=unit_name, answered=answered, total=total, rest=rest)
    option = Option(phrase("continue", locale), "continue", CONTINUE_KEY)
    return Message(text, prompt_id=RESUME, options=(option,))


@dataclass(frozen=True)
class Due:
    number: int  # the reminder to send (1 or 2)
    late: timedelta


def due_reminder(
    reminders_sent: int, last_activity: datetime, now: datetime, schedule: Schedule
) -> Due | None:
    """The latest reminder whose time has come, or None. When the first is overdue so long
    that the second is due too, only the second is sent (never two at once).
    """
    delays = (schedule.first_after, schedule.second_after)
    for number in range(MAX_REMINDERS, reminders_sent, -1):
        due_at = last_activity + delays[number - 1]
        if now >= due_at:
            return Due(number, now - due_at)
    return None


async def send_due_reminders(
    db: Database, sender: Sender, clock: Clock, flows: FlowLookup, schedule: Schedule
) -> int:
    """Send every reminder due now; returns how many were sent."""
    now = clock()
    if in_quiet_hours(now.astimezone(schedule.zone).time(), schedule.quiet_hours):
        return 0  # the next tick after the quiet hours sends them
    async with db.transaction() as session:
        found = await repo.candidates(
            session,
            now=now,
            first_before=now - schedule.first_after,
            second_before=now - schedule.second_after,
        )
    sent = 0
    for candidate in found:
        claimed = await _claim(db, candidate, now, flows, schedule)
        if claimed is None:
            continue
        key, message = claimed
        ref = ConversationRef(candidate.channel, candidate.chat_id)
        if await send_claimed(db, sender, clock, key, ref, [message]):
            sent += 1
    return sent


async def _claim(
    db: Database, candidate: repo.Candidate, now: datetime, flows: FlowLookup, schedule: Schedule
) -> tuple[str, Message] | None:
    due = due_reminder(candidate.reminders_sent, candidate.last_activity, now, schedule)
    if due is None:
        return None
    async with db.transaction() as session:
        advanced = await repo.advance(
            session, candidate.session_id, sent=candidate.reminders_sent, to=due.number
        )
        if not advanced:
            return None
        if due.late > schedule.reminder_max_late:
            log.info(
                "reminder %s of survey %s skipped: %s late",
                due.number,
                candidate.session_id,
                due.late,
            )
            return None  # given up: counted as passed, never sent
        flow = await flows(session, candidate.flow_version_id)
        unit = await session.get(Unit, candidate.unit_id)
        answered, total = standing(flow, await surveys.answers(session, candidate.session_id))
        message = reminder_message(
            flow, unit.name if unit else "", answered, candidate.locale, total
        )
        key = reminder_key(candidate.session_id, due.number)
        delivery = await deliveries.claim(
            session,
            key=key,
            channel=candidate.channel,
            chat_id=candidate.chat_id,
            payload=to_payload([message]),
            now=now,
        )
        if delivery is None:
            return None
    return key, message
