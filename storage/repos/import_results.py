"""Bulk-import results kept for download (see storage.models.ImportResult)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ImportResult


async def keep(
    session: AsyncSession,
    *,
    result_id: str,
    user_id: int,
    filename: str,
    content: bytes,
    now: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        ImportResult(
            id=result_id,
            user_id=user_id,
            filename=filename[:255],
            content=content,
            created_at=now,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def find(
    session: AsyncSession, result_id: str, *, user_id: int, now: datetime
) -> ImportResult | None:
    """The result if it exists, belongs to ``user_id`` and has not expired (else None)."""
    return await session.scalar(
        select(ImportResult).where(
            ImportResult.id == result_id,
            ImportResult.user_id == user_id,
            ImportResult.expires_at > now,
        )
    )


async def forget_expired(session: AsyncSession, now: datetime) -> int:
    result = await session.execute(delete(ImportResult).where(ImportResult.expires_at <= now))
    return int(result.rowcount)  # type: ignore[attr-defined]
