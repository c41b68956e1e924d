"""Integrity flags on responses (minimal version: the integrity helper owns the full module).

A completed response counts in figures iff it has no flag, or every flag on it was reviewed
with decision "keep"; ``counted`` is that rule as a query condition. ``raise_flag`` records a
flag once per (response, flag) and takes a counted response out of the counters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ResponseFlag, SurveySession
from storage.repos import counters

FLAGS = (
    "too_fast",
    "staff_chat",
    "staff_browser",
    "staff_network",
    "repeat_chat",
    "denied_on_recheck",
)


def counted() -> ColumnElement[bool]:
    """True for a completed response that counts: no flag left unreviewed or excluded."""
    blocking = select(ResponseFlag.id).where(
        ResponseFlag.session_id == SurveySession.id,
        or_(ResponseFlag.decision.is_(None), ResponseFlag.decision != "keep"),
    )
    return and_(SurveySession.completed_at.is_not(None), ~exists(blocking))


async def is_counted(session: AsyncSession, session_id: int) -> bool:
    found = await session.scalar(
        select(SurveySession.id).where(SurveySession.id == session_id, counted())
    )
    return found is not None


async def raise_flag(
    session: AsyncSession, *, session_id: int, flag: str, evidence: dict[str, Any], now: datetime
) -> bool:
    """Flag a response (idempotent per (session_id, flag)); True if the flag is new."""
    if flag not in FLAGS:
        raise ValueError(f"unknown flag {flag!r}")
    was_counted = await is_counted(session, session_id)
    try:
        async with session.begin_nested():
            session.add(
                ResponseFlag(session_id=session_id, flag=flag, evidence=evidence, raised_at=now)
            )
            await session.flush()
    except IntegrityError:
        return False
    if was_counted:
        await _take_out(session, session_id)
    return True


async def _take_out(session: AsyncSession, session_id: int) -> None:
    """Remove a counted response from the counters (the flagged column marks it for recount)."""
    await counters.count_response(session, session_id, sign=-1)
    survey = await session.get(SurveySession, session_id)
    assert survey is not None
    survey.flagged = True
    await session.flush()
