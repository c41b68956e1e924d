"""Survey sessions, their answers and comments.

A session row carries the engine's position (phase, question index); answers live in their
own table, unique per (session, question), so a repeated press can never double-count.
``save_position`` is an optimistic compare-and-set on ``version``: two concurrent turns on one
session cannot both advance it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Answer, Comment, SurveyLink, SurveySession
from storage.repos.upsert import insert_for

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


async def record_answer(
    session: AsyncSession, session_id: int, question_id: str, value: int, now: datetime
) -> None:
    """Insert or replace the answer (going back and answering again replaces it)."""
    statement = insert_for(session, Answer).values(
        session_id=session_id, question_id=question_id, value=value, answered_at=now
    )
    statement = statement.on_conflict_do_update(
        index_elements=["session_id", "question_id"],
        set_={"value": value, "answered_at": now},
    )
    await session.execute(statement)


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


async def save_position(
    session: AsyncSession,
    survey: SurveySession,
    *,
    phase: str,
    position: int,
    locale: str,
    channel: str,
    chat_id: str | None,
    now: datetime,
    answered: bool,
) -> bool:
    """Compare-and-set the session's position; False if another turn got there first."""
    values: dict[str, object] = {
        "phase": phase,
        "position": position,
        "locale": locale,
        "channel": channel,
        "chat_id": chat_id,
        "updated_at": now,
        "version": survey.version + 1,
    }
    if answered:
        values["last_answer_at"] = now
    result = await session.execute(
        update(SurveySession)
        .where(SurveySession.id == survey.id, SurveySession.version == survey.version)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    await session.refresh(survey)
    return True


async def mark_completed(
    session: AsyncSession, survey: SurveySession, *, now: datetime, iso_week: str
) -> None:
    survey.completed_at = now
    survey.completed_week = iso_week
    await session.flush()


async def forget_chat(session: AsyncSession, channel: str, chat_id: str, now: datetime) -> int:
    """Delete a respondent's data (``/xoadulieu``): unfinished sessions lose their answers and
    comments; completed ones stay in the aggregates but are unlinked from the chat.
    """
    surveys = await sessions_for_chat(session, channel, chat_id)
    for survey in surveys:
        if survey.completed_at is None:
            await session.execute(delete(Answer).where(Answer.session_id == survey.id))
            await session.execute(delete(Comment).where(Comment.session_id == survey.id))
            survey.phase = "deleted"
        survey.chat_id = None
        survey.data_deleted_at = now
        survey.version += 1
    await session.flush()
    return len(surveys)


async def comments_completed_in(
    session: AsyncSession, unit_ids: list[int], weeks: list[str]
) -> list[Comment]:
    """Comments and complaints of responses completed in ``weeks`` (complaints first); the
    rows carry no chat identifier, so a digest built from them stays anonymous.
    """
    return list(
        await session.scalars(
            select(Comment)
            .join(SurveySession, SurveySession.id == Comment.session_id)
            .where(Comment.unit_id.in_(unit_ids), SurveySession.completed_week.in_(weeks))
            .order_by(Comment.is_complaint.desc(), Comment.created_at, Comment.id)
        )
    )


async def forget_old_chats(
    session: AsyncSession, *, completed_before: datetime, now: datetime
) -> int:
    """Keep a respondent's chat id only while the survey needs it (Nghị định 13/2023): drop
    it from responses completed before ``completed_before`` and from unfinished ones whose
    link has expired. Answers stay, anonymous, in the aggregates.
    """
    expired_links = select(SurveyLink.id).where(SurveyLink.expires_at <= now)
    completed = await session.execute(
        update(SurveySession)
        .where(
            SurveySession.chat_id.is_not(None),
            SurveySession.completed_at.is_not(None),
            SurveySession.completed_at < completed_before,
        )
        .values(chat_id=None)
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
