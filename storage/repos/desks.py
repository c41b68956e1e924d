"""Desks (service counters with a standing QR code) and the anonymous links their scans open.

A scan is a survey link with no dossier and the desk's id: it goes through the same sessions,
answers, counters and flags as any other response, and ``completed_by_desk`` cuts the
completed ones by desk for reports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Desk, SurveyLink, SurveySession

ATTEMPTS = 5
Row = TypeVar("Row", Desk, SurveyLink)


async def by_code(session: AsyncSession, code: str) -> Desk | None:
    return await session.scalar(select(Desk).where(Desk.code == code))


async def get(session: AsyncSession, desk_id: int) -> Desk | None:
    return await session.get(Desk, desk_id)


async def for_units(session: AsyncSession, unit_ids: list[int]) -> list[Desk]:
    return list(
        await session.scalars(
            select(Desk).where(Desk.unit_id.in_(unit_ids)).order_by(Desk.unit_id, Desk.name)
        )
    )


async def _insert_fresh(session: AsyncSession, build: Callable[[], Row], what: str) -> Row:
    """Insert the row ``build`` makes; on a collision of its random code, build another."""
    for _attempt in range(ATTEMPTS):
        try:
            async with session.begin_nested():
                row = build()
                session.add(row)
                await session.flush()
            return row
        except IntegrityError:
            continue
    raise RuntimeError(f"could not allocate a unique {what} after {ATTEMPTS} attempts")


async def add(
    session: AsyncSession,
    *,
    unit_id: int,
    name: str,
    flow_key: str,
    now: datetime,
    new_code: Callable[[], str],
    by: str | None = None,
) -> Desk:
    """A new desk with a fresh code (drawn again on the rare collision)."""
    return await _insert_fresh(
        session,
        lambda: Desk(
            unit_id=unit_id,
            name=name,
            code=new_code(),
            flow_key=flow_key,
            created_at=now,
            created_by=by,
        ),
        "desk code",
    )


async def open_link(
    session: AsyncSession,
    desk: Desk,
    *,
    form: str,
    now: datetime,
    expires_at: datetime,
    new_token: Callable[[], str],
    new_short_code: Callable[[], str],
) -> SurveyLink:
    """A fresh single-use link for one scan of ``desk`` (no dossier: the rating is anonymous)."""
    return await _insert_fresh(
        session,
        lambda: SurveyLink(
            token=new_token(),
            short_code=new_short_code(),
            dossier_id=None,
            desk_id=desk.id,
            unit_id=desk.unit_id,
            form=form,
            created_by=None,
            created_at=now,
            expires_at=expires_at,
        ),
        "survey link",
    )


async def completed_by_desk(
    session: AsyncSession, unit_id: int, start: datetime, end: datetime
) -> dict[int, int]:
    """Completed responses per desk of ``unit_id`` with ``start <= completed_at < end``.

    Every completed response is counted here; the report builder applies the flag rule
    (a flagged response counts only once kept on review) the same way as for its totals.
    """
    rows = await session.execute(
        select(SurveyLink.desk_id, func.count(SurveySession.id))
        .join(SurveySession, SurveySession.link_id == SurveyLink.id)
        .where(
            SurveyLink.unit_id == unit_id,
            SurveyLink.desk_id.is_not(None),
            SurveySession.completed_at >= start,
            SurveySession.completed_at < end,
            SurveySession.data_deleted_at.is_(None),
        )
        .group_by(SurveyLink.desk_id)
    )
    return {int(desk_id): int(count) for desk_id, count in rows}
