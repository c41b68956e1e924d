"""Removing respondents' personal data while keeping their anonymous answers counted once.

Personal data here is the dossier's phone number and the chat ids that link a response (and
its queued reminders) to a person. Answers and comments are anonymous and stay, counted
exactly as before: nothing here touches the counters. Three ways in:

- ``erase_dossier``: an admin's erasure on request (the staff web, audited by the caller);
- ``forget_chat``: the respondent's ``/xoadulieu``;
- ``apply_retention``: the scheduler's job, once the phone re-check (phúc tra) window and the
  retention period after it have passed (``[privacy]`` settings).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery, Dossier, SurveyLink, SurveySession
from storage.repos import surveys

# scheduler.jobs.REMINDER_PREFIX: storage may not import the scheduler; a reminder's key is
# ``reminder:<session id>:<n>``.
REMINDER_PREFIX = "reminder:"
BATCH = 500


@dataclass(frozen=True)
class Erased:
    phone: bool  # the dossier had a phone number, now removed
    response: bool  # a response was unlinked from its chat (completed: answers kept)


async def erase_dossier(session: AsyncSession, dossier: Dossier, now: datetime) -> Erased:
    """Remove the dossier's phone and its response's chat ids; an unfinished response loses
    its answers (it can no longer be continued), a completed one stays counted, anonymous."""
    had_phone = dossier.phone is not None
    dossier.phone = None
    survey = await session.scalar(
        select(SurveySession)
        .join(SurveyLink, SurveyLink.id == SurveySession.link_id)
        .where(SurveyLink.dossier_id == dossier.id)
    )
    unlinked = survey is not None and survey.data_deleted_at is None
    if survey is not None:
        await _erase_response(session, survey, now)
    await session.flush()
    return Erased(had_phone, unlinked)


async def forget_chat(session: AsyncSession, channel: str, chat_id: str, now: datetime) -> int:
    """``/xoadulieu``: every response of the chat loses its chat id, its dossier's phone and
    its reminders' chat; unfinished ones also lose their answers. The number of responses."""
    found = await surveys.sessions_for_chat(session, channel, chat_id)
    for survey in found:
        await _erase_response(session, survey, now)
    await session.flush()
    return len(found)


async def _erase_response(session: AsyncSession, survey: SurveySession, now: datetime) -> None:
    await session.execute(
        update(Dossier)
        .where(Dossier.id.in_(select(SurveyLink.dossier_id).where(SurveyLink.id == survey.link_id)))
        .values(phone=None)
        .execution_options(synchronize_session="fetch")
    )
    if survey.data_deleted_at is None:
        await surveys.forget(session, survey, now)
    await _forget_reminder_chats(session, [survey.id])


async def apply_retention(
    session: AsyncSession, *, now: datetime, recheck_window: timedelta, retention: timedelta
) -> int:
    """Remove phones and chat ids whose time is up: a completed response's once the re-check
    window and then the retention period have passed since it completed; an unanswered
    dossier's once the retention period has passed since its link expired. Returns how many
    dossiers were cleaned (a bounded batch per call)."""
    completed_before = now - recheck_window - retention
    expired_before = now - retention
    rows = await session.execute(
        select(Dossier, SurveySession)
        .join(SurveyLink, SurveyLink.dossier_id == Dossier.id)
        .outerjoin(SurveySession, SurveySession.link_id == SurveyLink.id)
        .where(
            or_(Dossier.phone.is_not(None), SurveySession.chat_id.is_not(None)),
            or_(
                SurveySession.completed_at < completed_before,
                SurveySession.completed_at.is_(None) & (SurveyLink.expires_at < expired_before),
            ),
        )
        .limit(BATCH)
    )
    cleaned = 0
    session_ids = []
    for dossier, survey in rows:
        dossier.phone = None
        if survey is not None:
            survey.chat_id = None
            session_ids.append(survey.id)
        cleaned += 1
    await _forget_reminder_chats(session, session_ids)
    await session.flush()
    return cleaned


async def _forget_reminder_chats(session: AsyncSession, session_ids: list[int]) -> None:
    """Reminders of these responses lose their chat id and text; one still waiting is
    cancelled (there is nobody to send it to any more)."""
    for session_id in session_ids:
        prefix = f"{REMINDER_PREFIX}{session_id}:"
        await session.execute(
            update(Delivery)
            .where(Delivery.key.startswith(prefix, autoescape=True))
            .values(
                chat_id="",
                payload={"messages": []},
                status="cancelled",
                next_attempt_at=None,
            )
            .where(Delivery.status.in_(("pending", "failed")))
            .execution_options(synchronize_session=False)
        )
        await session.execute(
            update(Delivery)
            .where(Delivery.key.startswith(prefix, autoescape=True), Delivery.chat_id != "")
            .values(chat_id="", payload={"messages": []})
            .execution_options(synchronize_session=False)
        )
