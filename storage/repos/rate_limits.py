"""Fixed-window rate limits in the database: one atomic statement per attempt, so concurrent
attempts (several processes too) are all counted."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RateLimit, UTCDateTime
from storage.repos.upsert import insert_for


async def hit(
    session: AsyncSession, key: str, *, now: datetime, window: timedelta, limit: int
) -> bool:
    """Count one attempt under ``key``; False when it is over ``limit`` in the window."""
    start = literal(now, UTCDateTime())
    expired = RateLimit.window_start <= literal(now - window, UTCDateTime())
    statement = (
        insert_for(session, RateLimit)
        .values(key=key, window_start=now, count=1)
        .on_conflict_do_update(
            index_elements=[RateLimit.key],
            set_={
                "count": case((expired, 1), else_=RateLimit.count + 1),
                "window_start": case((expired, start), else_=RateLimit.window_start),
            },
        )
    )
    await session.execute(statement)
    count = await session.scalar(select(RateLimit.count).where(RateLimit.key == key))
    return int(count or 0) <= limit


async def forget_before(session: AsyncSession, before: datetime) -> None:
    """Housekeeping: windows that ended long ago."""
    await session.execute(delete(RateLimit).where(RateLimit.window_start < before))
