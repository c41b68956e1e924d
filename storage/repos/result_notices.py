"""ZNS result notices, one per survey link: claimed once, then sent, failed or waiting.

Claiming is an INSERT ... ON CONFLICT DO NOTHING on the unique link id, so the notice of a
link is created once however many times the link is created, imported or re-submitted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Dossier, ResultNotice, SurveyLink, Unit
from storage.repos.upsert import insert_for

PENDING, SENT, FAILED, WAITING = "pending", "sent", "failed", "waiting"


async def claim(
    session: AsyncSession, link_id: int, tracking_id: str, now: datetime
) -> ResultNotice | None:
    """Create the link's notice as pending; None when it already existed (idempotent)."""
    statement = (
        insert_for(session, ResultNotice)
        .values(
            link_id=link_id,
            tracking_id=tracking_id,
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
        )
        .on_conflict_do_nothing(index_elements=["link_id"])
    )
    result = await session.execute(statement)
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    return await for_link(session, link_id)


@dataclass(frozen=True)
class NoticeSubject:
    """What a result notice says and where it goes, read from the link's dossier and unit."""

    link_id: int
    token: str
    dossier_code: str
    phone: str | None
    unit_name: str


async def subject(session: AsyncSession, link_id: int) -> NoticeSubject | None:
    row = (
        await session.execute(
            select(SurveyLink.token, Dossier.code, Dossier.phone, Unit.name)
            .join(Dossier, Dossier.id == SurveyLink.dossier_id)
            .join(Unit, Unit.id == SurveyLink.unit_id)
            .where(SurveyLink.id == link_id)
        )
    ).first()
    if row is None:
        return None
    return NoticeSubject(link_id, row[0], row[1], row[2], row[3])


async def take(session: AsyncSession, notice_id: int, now: datetime, lease_until: datetime) -> bool:
    """Reserve a due notice for one sender (another process sees it as not due until
    ``lease_until``); False when someone else took it first. Commit before sending."""
    result = await session.execute(
        update(ResultNotice)
        .where(
            ResultNotice.id == notice_id,
            ResultNotice.status.in_((PENDING, WAITING)),
            or_(ResultNotice.next_attempt_at.is_(None), ResultNotice.next_attempt_at <= now),
        )
        .values(next_attempt_at=lease_until)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def for_link(session: AsyncSession, link_id: int) -> ResultNotice | None:
    return await session.scalar(
        select(ResultNotice)
        .where(ResultNotice.link_id == link_id)
        .execution_options(populate_existing=True)
    )


async def due(session: AsyncSession, now: datetime, limit: int = 50) -> Sequence[ResultNotice]:
    """Pending or waiting notices whose time has come, oldest first."""
    rows = await session.scalars(
        select(ResultNotice)
        .where(
            ResultNotice.status.in_((PENDING, WAITING)),
            or_(ResultNotice.next_attempt_at.is_(None), ResultNotice.next_attempt_at <= now),
        )
        .order_by(ResultNotice.next_attempt_at, ResultNotice.id)
        .limit(limit)
    )
    return rows.all()


async def mark_sent(
    session: AsyncSession, notice: ResultNotice, msg_id: str, now: datetime
) -> None:
    notice.status, notice.msg_id, notice.sent_at = SENT, msg_id, now
    notice.attempts += 1
    notice.next_attempt_at, notice.error_code, notice.error = None, None, None
    await session.flush()


async def mark_failed(
    session: AsyncSession, notice: ResultNotice, code: int | None, error: str
) -> None:
    """A permanent failure: recorded for the clerk, never tried again."""
    notice.status, notice.error_code, notice.error = FAILED, code, error
    notice.attempts += 1
    notice.next_attempt_at = None
    await session.flush()


async def mark_waiting(
    session: AsyncSession,
    notice: ResultNotice,
    until: datetime,
    code: int | None,
    error: str,
    *,
    attempted: bool = True,
) -> None:
    """Not now (the night ban, a quota, a network error): try again at ``until``.
    ``attempted=False`` when nothing was sent (it was night before trying)."""
    notice.status, notice.next_attempt_at = WAITING, until
    notice.error_code, notice.error = code, error
    notice.attempts += int(attempted)
    await session.flush()


async def statuses_for(session: AsyncSession, link_ids: Sequence[int]) -> dict[int, str]:
    """Link id → its notice's status, for links that have one (a list page's column)."""
    if not link_ids:
        return {}
    rows = await session.execute(
        select(ResultNotice.link_id, ResultNotice.status).where(ResultNotice.link_id.in_(link_ids))
    )
    return {link_id: status for link_id, status in rows}
