"""Which periods of which units are on the public results page."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Publication, Unit


async def publish(
    session: AsyncSession,
    unit_id: int,
    *,
    label: str,
    start: date,
    end: date,
    by: str,
    now: datetime,
) -> bool:
    """Put a period on the page; returns False when it already was (nothing changes then)."""
    row = await _row(session, unit_id, label)
    if row is not None and row.withdrawn_at is None:
        return False
    if row is None:
        row = Publication(unit_id=unit_id, period_label=label)
        session.add(row)
    row.period_start, row.period_end = start, end
    row.published_at, row.published_by = now, by
    row.withdrawn_at = row.withdrawn_by = None
    await session.flush()
    return True


async def withdraw(
    session: AsyncSession, unit_id: int, *, label: str, by: str, now: datetime
) -> bool:
    """Take a period off the page; returns False when it was not on it."""
    row = await _row(session, unit_id, label)
    if row is None or row.withdrawn_at is not None:
        return False
    row.withdrawn_at, row.withdrawn_by = now, by
    await session.flush()
    return True


async def published(session: AsyncSession, unit_id: int) -> list[Publication]:
    """The unit's periods on the page, the most recent period first."""
    rows = await session.scalars(
        select(Publication)
        .where(Publication.unit_id == unit_id, Publication.withdrawn_at.is_(None))
        .order_by(Publication.period_end.desc(), Publication.period_start.desc())
    )
    return list(rows)


async def published_units(session: AsyncSession) -> list[Unit]:
    """Units with at least one period on the page, by name."""
    rows = await session.scalars(
        select(Unit)
        .where(Unit.id.in_(select(Publication.unit_id).where(Publication.withdrawn_at.is_(None))))
        .order_by(Unit.name)
    )
    return list(rows)


async def _row(session: AsyncSession, unit_id: int, label: str) -> Publication | None:
    return await session.scalar(
        select(Publication).where(Publication.unit_id == unit_id, Publication.period_label == label)
    )
