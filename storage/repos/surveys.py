"""Survey sessions, their answers and comments.

A session row carries the engine's position (phase, question index); answers live in their
own table, unique per (session, question), so a repeated press can never double-count.
A turn moves the position by an optimistic compare-and-set on ``version``
(``survey_state.move``): two concurrent turns on one session cannot both advance it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.driver import DriverQuery, rows
from storage.models import Answer, Comment, ResponseFlag, SurveyLink, SurveySession
from storage.repos.upsert import insert_of

# The statements of every turn and page load, built once (with their cache keys) rather than
# per call: statement building was a visible share of the server's CPU.
_FOR_LINK = select(SurveySession).where(SurveySession.link_id == bindparam("link_id"))
_ANSWERS = select(Answer.question_id, Answer.value).where(
    Answer.session_id == bindparam("session_id")
)
_OPEN_FOR_CHAT = (
    select(SurveySession)
    .where(
        SurveySession.channel == bindparam("channel"),
        SurveySession.chat_id == bindparam("chat_id"),
        SurveySession.completed_at.is_(None),
        SurveySession.data_deleted_at.is_(None),
    )
    .order_by(SurveySession.updated_at.desc(), SurveySession.id.desc())
    .limit(1)
)


async def for_link(session: AsyncSession, link_id: int) -> SurveySession | None:
    return await session.scalar(_FOR_LINK, {"link_id": link_id})


async def get(session: AsyncSession, session_id: int) -> SurveySession | None:
    return await session.get(SurveySession, session_id)


async def latest_open_for_chat(
    session: AsyncSession, channel: str, chat_id: str
) -> SurveySession | None:
    """The chat's most recent unfinished survey (to continue after a plain /start)."""
    return await session.scalar(_OPEN_FOR_CHAT, {"channel": channel, "chat_id": chat_id})


async def sessions_for_chat(
    session: AsyncSession, channel: str, chat_id: str
) -> list[SurveySession]:
    return list(
        await session.scalars(
            select(SurveySession).where(
                SurveySession.channel == channel, SurveySession.chat_id == chat_id
            )
        )
    )


async def create(
    session: AsyncSession,
    *,
    link: SurveyLink,
    flow_version_id: int,
    channel: str,
    chat_id: str | None,
    locale: str,
    phase: str,
    now: datetime,
) -> SurveySession:
    survey = SurveySession(
        link_id=link.id,
        unit_id=link.unit_id,
        flow_version_id=flow_version_id,
        channel=channel,
        chat_id=chat_id,
        locale=locale,
        phase=phase,
        position=0,
        version=0,
        started_at=now,
        updated_at=now,
        reminders_sent=0,
        flagged=False,
    )
    session.add(survey)
    await session.flush()
    return survey


async def answers(session: AsyncSession, session_id: int) -> dict[str, int]:
    rows = await session.execute(_ANSWERS, {"session_id": session_id})
    return {question_id: value for question_id, value in rows}


def _answer_upsert(insert: Any) -> Any:
    statement = insert(Answer.__table__)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=["session_id", "question_id"],
        set_={"value": excluded.value, "text": excluded.text, "answered_at": excluded.answered_at},
    )


_RECORD_ANSWER = DriverQuery(lambda dialect: _answer_upsert(insert_of(dialect)))


async def record_answer(
    session: AsyncSession,
    session_id: int,
    question_id: str,
    value: int,
    now: datetime,
    text: str | None = None,
) -> None:
    """Insert or replace the answer (going back and answering again replaces it);
    ``text`` holds the words of a short-text answer."""
    values = {
        "session_id": session_id,
        "question_id": question_id,
        "value": value,
        "text": text,
        "answered_at": now,
    }
    await rows(session, _RECORD_ANSWER, values)


async def forget_answer(session: AsyncSession, session_id: int, question_id: str) -> None:
    """Drop the answer to a question that a changed answer has hidden (skip logic)."""
    await session.execute(
        delete(Answer).where(Answer.session_id == session_id, Answer.question_id == question_id)
    )


async def record_comment(
    session: AsyncSession,
    *,
    session_id: int,
    unit_id: int,
    text: str,
    is_complaint: bool,
    now: datetime,
) -> None:
    session.add(
        Comment(
            session_id=session_id,
            unit_id=unit_id,
            text=text,
            is_complaint=is_complaint,
            created_at=now,
        )
    )
    await session.flush()


async def comments_of(session: AsyncSession, session_id: int) -> list[Comment]:
    return list(await session.scalars(select(Comment).where(Comment.session_id == session_id)))


async def mark_consented(session: AsyncSession, session_id: int, now: datetime) -> None:
    """Remember when the respondent agreed to take part (the funnel's "consented")."""
    await session.execute(
        update(SurveySession)
        .where(SurveySession.id == session_id, SurveySession.consented_at.is_(None))
        .values(consented_at=now)
        .execution_options(synchronize_session=False)
    )


async def mark_completed(
    session: AsyncSession,
    survey: SurveySession,
    *,
    now: datetime,
    iso_week: str,
    zone: ZoneInfo | None = None,
) -> None:
    """Completed at ``now``; the local date (in ``zone``) is what counters and periods use
    (without a zone, ``counters.count_response`` fills it in the default zone)."""
    survey.completed_at = now
    survey.completed_week = iso_week
    if zone is not None:
        survey.completed_on = now.astimezone(zone).date()
    await session.flush()


async def forget(session: AsyncSession, survey: SurveySession, now: datetime) -> None:
    """Unlink one response from its respondent: an unfinished one loses its answers and
    comments; a completed one keeps them, anonymous and counted as before (once)."""
    if survey.completed_at is None:
        await session.execute(delete(Answer).where(Answer.session_id == survey.id))
        await session.execute(delete(Comment).where(Comment.session_id == survey.id))
        survey.phase = "deleted"
    survey.chat_id = None
    survey.data_deleted_at = now
    survey.version += 1
    await session.flush()


async def discard_unfinished(session: AsyncSession, survey: SurveySession) -> dict[str, object]:
    """Remove an unfinished response entirely (its link is being reissued: whoever held the
    old link must not hand its answers to the new one). Never a completed one. Returns what
    was removed, for the audit log (no answer values, no chat id)."""
    if survey.completed_at is not None:
        raise ValueError("a completed response is never discarded")
    removed_flags = list(
        await session.scalars(select(ResponseFlag.flag).where(ResponseFlag.session_id == survey.id))
    )
    answered = await session.execute(delete(Answer).where(Answer.session_id == survey.id))
    await session.execute(delete(Comment).where(Comment.session_id == survey.id))
    await session.execute(delete(ResponseFlag).where(ResponseFlag.session_id == survey.id))
    await session.delete(survey)
    await session.flush()
    return {
        "answers": int(answered.rowcount),  # type: ignore[attr-defined]
        "channel": survey.channel,
        "flags": removed_flags,
    }


async def comments_completed_in(
    session: AsyncSession, unit_ids: list[int], start: date, end: date
) -> list[Comment]:
    """Comments and complaints of responses completed on local dates ``start``..``end``
    (complaints first); the rows carry no chat identifier, so a digest stays anonymous.
    """
    return list(
        await session.scalars(
            select(Comment)
            .join(SurveySession, SurveySession.id == Comment.session_id)
            .where(Comment.unit_id.in_(unit_ids), SurveySession.completed_on.between(start, end))
            .order_by(Comment.is_complaint.desc(), Comment.created_at, Comment.id)
        )
    )


async def forget_old_chats(
    session: AsyncSession, *, completed_before: datetime, now: datetime
) -> int:
    """Keep a respondent's chat id only while the survey needs it (Nghị định 13/2023): drop
    it (and its keyed hash, kept for the repeat_chat check) from responses completed before
    ``completed_before`` and from unfinished ones whose
    link has expired. Answers stay, anonymous, in the aggregates.
    """
    expired_links = select(SurveyLink.id).where(SurveyLink.expires_at <= now)
    completed = await session.execute(
        update(SurveySession)
        .where(
            or_(SurveySession.chat_id.is_not(None), SurveySession.chat_key.is_not(None)),
            SurveySession.completed_at.is_not(None),
            SurveySession.completed_at < completed_before,
        )
        .values(chat_id=None, chat_key=None)
        .execution_options(synchronize_session=False)
    )
    abandoned = await session.execute(
        update(SurveySession)
        .where(
            SurveySession.chat_id.is_not(None),
            SurveySession.completed_at.is_(None),
            SurveySession.link_id.in_(expired_links),
        )
        .values(chat_id=None)
        .execution_options(synchronize_session=False)
    )
    return int(completed.rowcount) + int(abandoned.rowcount)  # type: ignore[attr-defined]
