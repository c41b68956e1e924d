"""The Zalo OA token pair (one row per app id).

The refresh token is single-use, so the row is the single source of truth: a refresh takes
the row lock (``locked``), re-reads the row, and stores the new pair in the same transaction,
which the caller commits before using the new access token.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import OaToken
from storage.repos.upsert import insert_for


async def load(session: AsyncSession, app_id: str) -> OaToken | None:
    """The stored pair without locking (the fast path of every send)."""
    return await session.scalar(
        select(OaToken).where(OaToken.app_id == app_id).execution_options(populate_existing=True)
    )


async def locked(session: AsyncSession, app_id: str) -> OaToken | None:
    """The row, locked until the transaction ends, so refreshes never run side by side.

    PostgreSQL: SELECT ... FOR UPDATE. SQLite: every transaction already begins with BEGIN
    IMMEDIATE (storage.db), which holds the database's write lock; FOR UPDATE is not emitted.
    """
    return await session.scalar(
        select(OaToken)
        .where(OaToken.app_id == app_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


async def bootstrap(session: AsyncSession, app_id: str, refresh_token: str, now: datetime) -> None:
    """Store the settings' first refresh token only when no row exists (a restart keeps the
    newest pair from the database, never the stale one from the file)."""
    statement = (
        insert_for(session, OaToken)
        .values(app_id=app_id, refresh_token=refresh_token, generation=0, updated_at=now)
        .on_conflict_do_nothing(index_elements=["app_id"])
    )
    await session.execute(statement)


async def store_pair(
    session: AsyncSession,
    row: OaToken,
    *,
    access_token: str,
    refresh_token: str,
    expires_at: datetime,
    now: datetime,
) -> int:
    """Replace the pair on a row read through ``locked``; returns the new generation."""
    row.access_token, row.refresh_token = access_token, refresh_token
    row.access_expires_at, row.updated_at = expires_at, now
    row.generation += 1
    row.last_error, row.last_error_at = None, None
    await session.flush()
    return row.generation


async def record_failure(session: AsyncSession, app_id: str, error: str, now: datetime) -> None:
    """Remember why the last refresh failed (for the staff banner and the health endpoint)."""
    row = await load(session, app_id)
    if row is not None:
        row.last_error, row.last_error_at = error, now
        await session.flush()


async def set_refresh_token(
    session: AsyncSession, app_id: str, refresh_token: str, now: datetime
) -> int:
    """An admin's fresh refresh token (after granting access again): the access token is
    dropped so the next send refreshes with it; the error is cleared. Returns the generation.
    """
    await bootstrap(session, app_id, refresh_token, now)
    row = await locked(session, app_id)
    assert row is not None
    row.refresh_token, row.access_token, row.access_expires_at = refresh_token, None, None
    row.generation += 1
    row.updated_at, row.last_error, row.last_error_at = now, None, None
    await session.flush()
    return row.generation
