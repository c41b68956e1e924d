"""ZNS result notices, one per survey link: claimed once, then sent, failed or waiting.

Claiming is an INSERT ... ON CONFLICT DO NOTHING on the unique link id, so the notice of a
link is created once however many times the link is created, imported or re-submitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ResultNotice
from storage.repos.upsert import insert_for

PENDING, SENT, FAILED, WAITING = "pending", "sent", "failed", "waiting"


async def claim(
    session: AsyncSession, link_id: int, tracking_id: str, now: datetime
) -> ResultNotice | None:
    """Create the link's notice as pending; None when it already existed (idempotent)."""
    statement = (
        insert_for(session, ResultNotice)
        .values(
            link_id=link_id,
            tracking_id=tracking_id,
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["link_id"])
    )
    result = await session.execute(statement)
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    return await for_link(session, link_id)


async def for_link(session: AsyncSession, link_id: int) -> ResultNotice | None:
    return await session.scalar(
        select(ResultNotice)
        .where(ResultNotice.link_id == link_id)
        .execution_options(populate_existing=True)
    )


async def due(session: AsyncSession, now: datetime, limit: int = 50) -> Sequence[ResultNotice]:
    """Pending or waiting notices whose time has come, oldest first."""
    rows = await session.scalars(
        select(ResultNotice)
        .where(
            ResultNotice.status.in_((PENDING, WAITING)),
            or_(ResultNotice.next_attempt_at.is_(None), ResultNotice.next_attempt_at <= now),
        )
        .order_by(ResultNotice.next_attempt_at, ResultNotice.id)
        .limit(limit)
    )
    return rows.all()


async def mark_sent(
    session: AsyncSession, notice: ResultNotice, msg_id: str, now: datetime
) -> None:
    notice.status, notice.msg_id, notice.sent_at = SENT, msg_id, now
    notice.attempts += 1
    notice.next_attempt_at, notice.error_code, notice.error = None, None, None
    await session.flush()


async def mark_failed(
    session: AsyncSession, notice: ResultNotice, code: int | None, error: str
) -> None:
    """A permanent failure: recorded for the clerk, never tried again."""
    notice.status, notice.error_code, notice.error = FAILED, code, error
    notice.attempts += 1
    notice.next_attempt_at = None
    await session.flush()


async def mark_waiting(
    session: AsyncSession, notice: ResultNotice, until: datetime, code: int | None, error: str
) -> None:
    """Not now (the night ban, a quota, a network error): try again at ``until``."""
    notice.status, notice.next_attempt_at = WAITING, until
    notice.error_code, notice.error = code, error
    notice.attempts += 1
    await session.flush()
