"""API keys of units for the one-stop software: only a hash and a short prefix are stored.

Hashing and generation live in bot.staff.api_keys; this module stores and finds what it is given.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ApiKey, Unit
from storage.repos.errors import NotFound, StorageUserError


async def add(
    session: AsyncSession, *, unit: Unit, key_hash: str, prefix: str, now: datetime
) -> ApiKey:
    key = ApiKey(unit_id=unit.id, key_hash=key_hash, prefix=prefix, created_at=now)
    session.add(key)
    await session.flush()
    return key


async def active_by_hash(session: AsyncSession, key_hash: str) -> tuple[ApiKey, Unit] | None:
    """The unrevoked key with this hash and its unit, if any."""
    row = (
        await session.execute(
            select(ApiKey, Unit)
            .join(Unit, Unit.id == ApiKey.unit_id)
            .where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


async def for_unit(session: AsyncSession, unit_id: int) -> list[ApiKey]:
    return list(
        await session.scalars(
            select(ApiKey).where(ApiKey.unit_id == unit_id).order_by(ApiKey.created_at, ApiKey.id)
        )
    )


async def revoke(session: AsyncSession, prefix: str, *, now: datetime) -> ApiKey:
    """Revoke the one active key with this prefix (revoking twice is refused, not ignored)."""
    found = list(
        await session.scalars(
            select(ApiKey).where(ApiKey.prefix == prefix, ApiKey.revoked_at.is_(None))
        )
    )
    if not found:
        raise NotFound(f"no active API key with prefix {prefix!r}")
    if len(found) > 1:
        raise StorageUserError(f"{len(found)} active API keys share prefix {prefix!r}")
    found[0].revoked_at = now
    await session.flush()
    return found[0]
