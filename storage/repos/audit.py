"""The append-only audit log; only login entries are pruned (``forget_logins_before``), as
anyone on the internet can add them by trying passwords."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import AuditEntry


async def record(
    session: AsyncSession,
    *,
    actor: str,
    action: str,
    now: datetime,
    subject: str | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(AuditEntry(at=now, actor=actor, action=action, subject=subject, detail=detail))
    await session.flush()


async def entries(session: AsyncSession, action: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.id)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return list(await session.scalars(query))


async def since(
    session: AsyncSession, *, action: str, subject: str, after: datetime
) -> list[AuditEntry]:
    """Entries of ``action`` about ``subject`` after a moment (e.g. recent failed logins)."""
    return list(
        await session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.action == action,
                AuditEntry.subject == subject,
                AuditEntry.at > after,
            )
            .order_by(AuditEntry.id)
        )
    )


async def forget_logins_before(session: AsyncSession, before: datetime) -> int:
    """Drop login entries (success, failure, pause) older than ``before``: housekeeping that
    keeps the log bounded under a flood of login attempts."""
    result = await session.execute(
        delete(AuditEntry).where(AuditEntry.action.like("login.%"), AuditEntry.at < before)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
