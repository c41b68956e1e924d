"""What every survey turn and page load reads and writes, in as few statements as possible.

A web round trip and a Telegram answer used to read the link, the session, the unit and the
answers one query each, through ORM objects, and to read the session back after moving it:
statement building and the ORM's bookkeeping were a third of the server's CPU per answer.
Here one prebuilt Core query (compiled once, bind parameters only) returns the link, its unit,
its session and the session's answers (aggregated in SQL into one string), as plain frozen
values; the position moves by a prebuilt compare-and-set whose outcome needs no read-back.
They are sent to the driver itself (``storage.driver``): inside the turn's transaction, or for
a page load as one read outside any. The ORM objects are still used on the rare paths (a new
session, a completed response).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, bindparam, cast, func, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.driver import DriverQuery, rows
from storage.models import Answer, SurveyLink, SurveySession, Unit, UTCDateTime

_L = SurveyLink.__table__
_S = SurveySession.__table__
_U = Unit.__table__
_A = Answer.__table__

# "question=value" lines; question ids match the loader's ID_PATTERN (no "=", no newline).
_ANSWERS = (
    select(func.aggregate_strings(_A.c.question_id + literal("=") + cast(_A.c.value, String), "\n"))
    .where(_A.c.session_id == _S.c.id)
    .scalar_subquery()
)
_LINK_COLUMNS = (_L.c.id, _L.c.unit_id, _L.c.expires_at, _L.c.opened_at, _U.c.name, _U.c.place)
_SURVEY_COLUMNS = (
    _S.c.id, _S.c.link_id, _S.c.unit_id, _S.c.flow_version_id, _S.c.channel, _S.c.chat_id,
    _S.c.locale, _S.c.phase, _S.c.position, _S.c.version, _S.c.completed_at,
    _S.c.data_deleted_at, _ANSWERS,
)  # fmt: skip
_BY_TOKEN = (
    select(*_LINK_COLUMNS, *_SURVEY_COLUMNS)
    .select_from(_L.join(_U, _U.c.id == _L.c.unit_id).outerjoin(_S, _S.c.link_id == _L.c.id))
    .where(_L.c.token == bindparam("token"))
)
_READ_BY_TOKEN = DriverQuery(_BY_TOKEN)
_OPEN_FOR_CHAT = DriverQuery(
    select(*_LINK_COLUMNS, *_SURVEY_COLUMNS)
    .select_from(_S.join(_L, _L.c.id == _S.c.link_id).join(_U, _U.c.id == _L.c.unit_id))
    .where(
        _S.c.channel == bindparam("channel"),
        _S.c.chat_id == bindparam("chat_id"),
        _S.c.completed_at.is_(None),
        _S.c.data_deleted_at.is_(None),
    )
    .order_by(_S.c.updated_at.desc(), _S.c.id.desc())
    .limit(1)
)
_MOVE_VALUES: dict[str, Any] = {
    "phase": bindparam("phase", type_=String()),
    "position": bindparam("position", type_=Integer()),
    "locale": bindparam("locale", type_=String()),
    "updated_at": bindparam("now", type_=UTCDateTime()),
    "version": bindparam("next_version", type_=Integer()),
}
_MOVE = update(_S).where(
    _S.c.id == bindparam("session_id"), _S.c.version == bindparam("seen_version")
)
# The row comes back only when the compare-and-set won.
_MOVED = DriverQuery(_MOVE.values(**_MOVE_VALUES).returning(_S.c.id))
_ANSWERED = DriverQuery(
    _MOVE.values(**_MOVE_VALUES, last_answer_at=bindparam("now", type_=UTCDateTime())).returning(
        _S.c.id
    )
)
_OPENED = DriverQuery(
    update(_L)
    .where(_L.c.id == bindparam("link_id"), _L.c.opened_at.is_(None))
    .values(opened_at=bindparam("now", type_=UTCDateTime()))
)


@dataclass(frozen=True)
class LinkState:
    """A survey link and the unit that runs it (its name and ``{place}``)."""

    id: int
    unit_id: int
    expires_at: datetime
    opened_at: datetime | None
    unit_name: str | None
    unit_place: str | None


@dataclass(frozen=True)
class SurveyState:
    """A survey session as a turn reads it: where it stands, and its answers so far.
    Read-only: ``move`` writes a new position and returns the state after it."""

    id: int
    link_id: int
    unit_id: int
    flow_version_id: int
    channel: str
    chat_id: str | None
    locale: str
    phase: str
    position: int
    version: int
    completed_at: datetime | None
    data_deleted_at: datetime | None
    answers: dict[str, int] = field(default_factory=dict, compare=False)


def _answers(text: str | None) -> dict[str, int]:
    found: dict[str, int] = {}
    for line in (text or "").split("\n"):
        question_id, sep, value = line.rpartition("=")
        if sep:
            found[question_id] = int(value)
    return found


def _states(row: Any) -> tuple[LinkState, SurveyState | None]:
    link = LinkState(*row[:6])
    if row[6] is None:
        return link, None
    *columns, answered = row[6:]
    return link, SurveyState(*columns, answers=_answers(answered))


async def by_token(
    session: AsyncSession, token: str
) -> tuple[LinkState | None, SurveyState | None]:
    """The link of ``token`` and its session (None, None: no such link)."""
    found = await rows(session, _READ_BY_TOKEN, {"token": token})
    if not found:
        return None, None
    return _states(found[0])


async def read_by_token(db: Database, token: str) -> tuple[LinkState | None, SurveyState | None]:
    """``by_token`` as a single read outside any transaction (a page load): one SELECT is
    consistent by itself. Raises DatabaseUnavailable."""
    row = await db.fetch_one(_READ_BY_TOKEN, {"token": token})
    if row is None:
        return None, None
    return _states(row)


async def open_for_chat(
    session: AsyncSession, channel: str, chat_id: str
) -> tuple[LinkState, SurveyState] | None:
    """The chat's most recent unfinished survey and its link (to continue after a plain
    /start, or to take a typed answer)."""
    found = await rows(session, _OPEN_FOR_CHAT, {"channel": channel, "chat_id": chat_id})
    if not found:
        return None
    link, survey = _states(found[0])
    assert survey is not None  # the query starts from the session
    return link, survey


async def move(
    session: AsyncSession,
    survey: SurveyState,
    *,
    phase: str,
    position: int,
    locale: str,
    now: datetime,
    answered: bool,
) -> bool:
    """Compare-and-set the session's position on its version; False if another turn moved
    it first (nothing was written)."""
    moved = await rows(
        session,
        _ANSWERED if answered else _MOVED,
        {
            "session_id": survey.id,
            "seen_version": survey.version,
            "next_version": survey.version + 1,
            "phase": phase,
            "position": position,
            "locale": locale,
            "now": now,
        },
    )
    return len(moved) == 1


async def mark_opened(session: AsyncSession, link_id: int, now: datetime) -> None:
    """Remember the first time the link was shown to anyone (the funnel's "opened"); the
    caller asks only when the link it read had not been opened."""
    await rows(session, _OPENED, {"link_id": link_id, "now": now})


def of(survey: SurveySession) -> SurveyState:
    """The state of a session row just created (it has no answers yet)."""
    return SurveyState(
        survey.id, survey.link_id, survey.unit_id, survey.flow_version_id, survey.channel,
        survey.chat_id, survey.locale, survey.phase, survey.position, survey.version,
        survey.completed_at, survey.data_deleted_at,
    )  # fmt: skip
