"""Fixed-window counters, e.g. how many short codes a chat may guess per hour."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RateLimit, UTCDateTime
from storage.repos.upsert import insert_for


async def hit(
    session: AsyncSession, key: str, *, limit: int, window: timedelta, now: datetime
) -> bool:
    """Count one attempt for ``key``; True while the window's count stays within ``limit``.

    One atomic upsert: a window that has ended restarts at 1, else the count grows by one.
    """
    table = RateLimit.__table__
    statement = insert_for(session, RateLimit).values(key=key, window_start=now, count=1)
    expired = table.c.window_start <= now - window
    restart = literal(now, UTCDateTime())
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "window_start": case((expired, restart), else_=table.c.window_start),
            "count": case((expired, 1), else_=table.c.count + 1),
        },
    )
    await session.execute(statement)
    count = await session.scalar(select(RateLimit.count).where(RateLimit.key == key))
    return int(count or 0) <= limit


async def forget_before(session: AsyncSession, before: datetime) -> int:
    """Drop windows that started before ``before`` (housekeeping)."""
    result = await session.execute(delete(RateLimit).where(RateLimit.window_start < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
