"""Inbound update ids already handled: claiming one twice returns False the second time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate
from storage.repos.upsert import insert_for


async def claim(session: AsyncSession, channel: str, update_key: str, now: datetime) -> bool:
    """Record ``update_key`` as processed; False if it was already (a re-delivery)."""
    statement = (
        insert_for(session, ProcessedUpdate)
        .values(channel=channel, update_key=update_key, processed_at=now)
        .on_conflict_do_nothing()
    )
    result = await session.execute(statement)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def forget_before(session: AsyncSession, before: datetime) -> int:
    """Prune old ids (platforms re-deliver an update for a day at most)."""
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
