"""Publishing and withdrawing a unit's results for a period, audited; the CLI and the staff
button share this so both leave the same trace."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from storage.repos import audit, publications

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from reports.periods import Period
    from storage.models import Unit


async def set_published(
    session: AsyncSession,
    unit: Unit,
    period: Period,
    *,
    by: str,
    now: datetime,
    withdraw: bool = False,
) -> bool:
    """Publish (or withdraw) ``period`` of ``unit``; False when nothing changed."""
    if withdraw:
        changed = await publications.withdraw(session, unit.id, label=period.label, by=by, now=now)
    else:
        changed = await publications.publish(
            session,
            unit.id,
            label=period.label,
            start=period.start,
            end=period.end,
            by=by,
            now=now,
        )
    if changed:
        await audit.record(
            session,
            actor=by,
            action="results.withdraw" if withdraw else "results.publish",
            now=now,
            subject=unit.code,
            detail={"period": period.label},
        )
    return changed
