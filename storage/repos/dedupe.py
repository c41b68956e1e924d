"""Inbound update ids already handled: claiming one twice returns False the second time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ProcessedUpdate
from storage.repos.upsert import prebuilt

# Run for every inbound update: built once per dialect, parameters bound at each call.
_CLAIM = prebuilt(lambda insert: insert(ProcessedUpdate.__table__).on_conflict_do_nothing())


async def claim(session: AsyncSession, channel: str, update_key: str, now: datetime) -> bool:
    """Record ``update_key`` as processed; False if it was already (a re-delivery)."""
    values = {"channel": channel, "update_key": update_key, "processed_at": now}
    result = await session.execute(_CLAIM(session), values)
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def forget_before(session: AsyncSession, before: datetime) -> int:
    """Prune old ids (platforms re-deliver an update for a day at most)."""
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
