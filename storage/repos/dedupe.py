"""Inbound update ids already handled: claiming one twice returns False the second time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession

from storage.driver import DriverQuery, rows
from storage.models import ProcessedUpdate
from storage.repos.upsert import insert_of

_T = ProcessedUpdate.__table__
# Run for every inbound update: built once per dialect, sent to the driver (storage.driver);
# the row comes back only when it was inserted.
_CLAIM = DriverQuery(
    lambda dialect: insert_of(dialect)(_T).on_conflict_do_nothing().returning(_T.c.update_key)
)


async def claim(session: AsyncSession, channel: str, update_key: str, now: datetime) -> bool:
    """Record ``update_key`` as processed; False if it was already (a re-delivery)."""
    values = {"channel": channel, "update_key": update_key, "processed_at": now}
    return bool(await rows(session, _CLAIM, values))


async def forget_before(session: AsyncSession, before: datetime) -> int:
    """Prune old ids (platforms re-deliver an update for a day at most)."""
    result = await session.execute(
        delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
