"""Messages the system sends first (reminders, digests) and sends that must be retried.

Each has a unique ``key`` (``reminder:<session>:<n>``, ``digest:<unit>:<week>:<user>``,
``retry:<channel>:<chat>:<uuid>``). Claiming the key in the database before sending is what
makes every send happen at most once, even when two processes race or the job runs twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Delivery
from storage.repos.upsert import insert_for

MAX_ATTEMPTS = 6
# A claimed send is retried only if it is still unconfirmed this long after the claim, so the
# retry job never races the sender that claimed it.
LEASE = timedelta(minutes=5)


async def claim(
    session: AsyncSession,
    *,
    key: str,
    channel: str,
    chat_id: str,
    payload: list[dict[str, Any]],
    now: datetime,
) -> Delivery | None:
    """Record a send as pending; None if the key was already claimed (never send twice)."""
    statement = (
        insert_for(session, Delivery)
        .values(
            key=key,
            channel=channel,
            chat_id=chat_id,
            payload={"messages": payload},
            status="pending",
            attempts=0,
            next_attempt_at=now + LEASE,
            created_at=now,
        )
        .on_conflict_do_nothing()
    )
    result = await session.execute(statement)
    if not result.rowcount:  # type: ignore[attr-defined]
        return None
    return await session.scalar(select(Delivery).where(Delivery.key == key))


async def by_key(session: AsyncSession, key: str) -> Delivery | None:
    return await session.scalar(select(Delivery).where(Delivery.key == key))


async def mark_sent(session: AsyncSession, delivery: Delivery, now: datetime) -> None:
    delivery.status = "sent"
    delivery.sent_at = now
    delivery.attempts += 1
    delivery.next_attempt_at = None
    delivery.last_error = None
    await session.flush()


async def mark_failed(session: AsyncSession, delivery: Delivery, error: str, now: datetime) -> None:
    """Schedule a retry with exponential back-off; give up after MAX_ATTEMPTS."""
    delivery.attempts += 1
    delivery.last_error = error[:2000]
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = "failed"
        delivery.next_attempt_at = None
    else:
        delivery.status = "pending"
        delivery.next_attempt_at = now + timedelta(minutes=2**delivery.attempts)
    await session.flush()


async def due(session: AsyncSession, now: datetime, limit: int = 100) -> list[Delivery]:
    """Pending sends whose time has come (the scheduler's retry job)."""
    return list(
        await session.scalars(
            select(Delivery)
            .where(Delivery.status == "pending", Delivery.next_attempt_at <= now)
            .order_by(Delivery.next_attempt_at, Delivery.id)
            .limit(limit)
        )
    )
