"""Unfinished surveys that may deserve a reminder, and the compare-and-set that claims one.

The scheduler decides *when* (delays, quiet hours, lateness); this module only finds the
candidates cheaply in SQL and advances ``reminders_sent`` so that two processes can never both
claim the same reminder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Answer, SurveyLink, SurveySession, UTCDateTime

# Phases after consent and before the end: someone who declined or never consented is not
# chased, and a finished survey needs nothing.
REMINDABLE_PHASES = ("asking", "comment", "complaint_offer", "complaint")


@dataclass(frozen=True)
class Candidate:
    session_id: int
    unit_id: int
    flow_version_id: int
    channel: str
    chat_id: str
    locale: str
    reminders_sent: int
    last_activity: datetime
    answered: int


def last_activity():  # type: ignore[no-untyped-def]
    """The respondent's last answer, or the start when nothing was answered yet."""
    return func.coalesce(
        SurveySession.last_answer_at, SurveySession.started_at, type_=UTCDateTime()
    )


async def candidates(
    session: AsyncSession,
    *,
    now: datetime,
    first_before: datetime,
    second_before: datetime,
    unreachable_channels: tuple[str, ...] = ("web",),
    limit: int = 500,
) -> list[Candidate]:
    """Open, undeleted sessions on unexpired links whose next reminder's delay has passed.

    ``first_before``/``second_before`` are ``now - first_after``/``now - second_after``.
    """
    activity = last_activity()
    answered = (
        select(func.count())
        .select_from(Answer)
        .where(Answer.session_id == SurveySession.id)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(
            SurveySession.id,
            SurveySession.unit_id,
            SurveySession.flow_version_id,
            SurveySession.channel,
            SurveySession.chat_id,
            SurveySession.locale,
            SurveySession.reminders_sent,
            activity,
            answered,
        )
        .join(SurveyLink, SurveyLink.id == SurveySession.link_id)
        .where(
            SurveySession.completed_at.is_(None),
            SurveySession.data_deleted_at.is_(None),
            SurveySession.chat_id.is_not(None),
            SurveySession.channel.not_in(unreachable_channels),
            SurveySession.phase.in_(REMINDABLE_PHASES),
            SurveyLink.expires_at > now,
            or_(
                and_(SurveySession.reminders_sent == 0, activity <= first_before),
                and_(SurveySession.reminders_sent == 1, activity <= second_before),
            ),
        )
        .order_by(activity, SurveySession.id)
        .limit(limit)
    )
    return [Candidate(*row) for row in rows]


async def advance(session: AsyncSession, session_id: int, *, sent: int, to: int) -> bool:
    """Move ``reminders_sent`` from ``sent`` to ``to`` if the survey is still open and nobody
    else moved it first (False otherwise: do not send).
    """
    result = await session.execute(
        update(SurveySession)
        .where(
            SurveySession.id == session_id,
            SurveySession.reminders_sent == sent,
            SurveySession.completed_at.is_(None),
            SurveySession.data_deleted_at.is_(None),
        )
        .values(reminders_sent=to)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def still_wanted(session: AsyncSession, session_id: int, now: datetime) -> bool:
    """Whether a reminder for this survey still makes sense (for a retried send)."""
    row = await session.execute(
        select(SurveySession.completed_at, SurveySession.data_deleted_at, SurveyLink.expires_at)
        .join(SurveyLink, SurveyLink.id == SurveySession.link_id)
        .where(SurveySession.id == session_id)
    )
    found = row.first()
    if found is None:
        return False
    completed_at, deleted_at, expires_at = found
    return completed_at is None and deleted_at is None and now < expires_at
