"""Fixed-window counters, e.g. how many short codes a chat may guess per hour."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, delete, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import RateLimit, UTCDateTime
from storage.repos.upsert import insert_for


async def hit(
    session: AsyncSession, key: str, *, limit: int, window: timedelta, now: datetime
) -> bool:
    """Count one attempt for ``key``; True while the window's count stays within ``limit``.

    One atomic upsert that returns the new count (no read after it that a concurrent
    attempt could slip between): a window that has ended restarts at 1, else the count grows.
    """
    return await count(session, key, window=window, now=now) <= limit


async def count(session: AsyncSession, key: str, *, window: timedelta, now: datetime) -> int:
    """Count one attempt for ``key`` in a fixed window; the attempts so far, this one too."""
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
    return int(await session.scalar(statement.returning(table.c.count)) or 0)


async def back_off(
    session: AsyncSession,
    key: str,
    *,
    now: datetime,
    free: int,
    first_pause: timedelta,
    longest_pause: timedelta,
    quiet: timedelta,
) -> timedelta | None:
    """One attempt for ``key``: None when it may go ahead, else how long to wait.

    The first ``free`` attempts of a streak go ahead; each later one is allowed only after a
    pause that doubles up to ``longest_pause``; a streak ends after ``quiet`` without
    attempts (``forget``, e.g. after a successful login, ends it at once). Here the row's
    ``window_start`` is the moment the next attempt is allowed and ``count`` the streak. The
    conditional UPDATE locks the row until the transaction ends, so concurrent attempts are
    counted one after the other (SQLite: the transaction holds the write lock).
    """
    table = RateLimit.__table__
    await session.execute(
        insert_for(session, RateLimit)
        .values(key=key, window_start=now, count=0)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    streak = await session.scalar(
        update(RateLimit)
        .where(RateLimit.key == key, RateLimit.window_start <= now)
        .values(
            count=case(
                (table.c.window_start <= literal(now - quiet, UTCDateTime()), 1),
                else_=table.c.count + 1,
            )
        )
        .returning(RateLimit.count)
    )
    if streak is None:  # paused: tell how long is left
        allowed = await session.scalar(select(RateLimit.window_start).where(RateLimit.key == key))
        return max((allowed or now) - now, timedelta(seconds=1))
    if streak >= free:
        pause = min(first_pause * 2 ** min(streak - free, 30), longest_pause)
        await session.execute(
            update(RateLimit).where(RateLimit.key == key).values(window_start=now + pause)
        )
    return None


async def give_back(session: AsyncSession, key: str) -> None:
    """Take one attempt back from ``key``'s window (it turned out to be a good one)."""
    await session.execute(
        update(RateLimit)
        .where(RateLimit.key == key, RateLimit.count > 0)
        .values(count=RateLimit.count - 1)
    )


async def forget(session: AsyncSession, key: str) -> None:
    await session.execute(delete(RateLimit).where(RateLimit.key == key))


async def forget_before(session: AsyncSession, before: datetime) -> int:
    """Drop windows that started before ``before`` (housekeeping)."""
    result = await session.execute(delete(RateLimit).where(RateLimit.window_start < before))
    return int(result.rowcount)  # type: ignore[attr-defined]
