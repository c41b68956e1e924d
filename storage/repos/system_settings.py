"""Key-value settings kept in the database (see storage.models.SystemSetting)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SystemSetting
from storage.repos.upsert import insert_for


async def get(session: AsyncSession, key: str) -> str | None:
    row = await session.get(SystemSetting, key)
    return row.value if row is not None else None


async def all_values(session: AsyncSession, prefix: str = "") -> dict[str, str]:
    rows = await session.scalars(
        select(SystemSetting).where(SystemSetting.key.startswith(prefix, autoescape=True))
    )
    return {row.key: row.value for row in rows}


async def put(
    session: AsyncSession, key: str, value: str, *, now: datetime, by: str | None = None
) -> None:
    row = await session.get(SystemSetting, key)
    if row is None:
        session.add(SystemSetting(key=key, value=value, updated_at=now, updated_by=by))
    else:
        row.value, row.updated_at, row.updated_by = value, now, by
    await session.flush()


async def get_or_create(session: AsyncSession, key: str, value: str, *, now: datetime) -> str:
    """The stored value, or ``value`` stored now; safe when two processes race at start."""
    statement = (
        insert_for(session, SystemSetting)
        .values(key=key, value=value, updated_at=now, updated_by="system")
        .on_conflict_do_nothing(index_elements=["key"])
    )
    await session.execute(statement)
    stored = await session.scalar(select(SystemSetting.value).where(SystemSetting.key == key))
    assert stored is not None
    return stored
