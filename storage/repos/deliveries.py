"""Messages the system sends first (reminders, digests) and sends that must be retried.

Each has a unique ``key`` (``reminder:<session>:<n>``, ``digest:<unit>:<week>:<user>``,
``retry:<channel>:<uuid>``). Claiming the key in the database before sending is what
makes every send happen at most once, even when two processes race or the job runs twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
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


async def mark_undeliverable(
    session: AsyncSession, delivery: Delivery, reason: str, now: datetime
) -> None:
    """The platform refused for good (blocked, not following, window closed): kept with its
    reason for staff, never retried."""
    delivery.attempts += 1
    delivery.status = "undeliverable"
    delivery.next_attempt_at = None
    delivery.last_error = reason[:2000]
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


async def lease(session: AsyncSession, delivery: Delivery, now: datetime) -> bool:
    """Take a due delivery for one retry attempt (compare-and-set on ``next_attempt_at``), so
    two processes running the retry job never send the same message twice.
    """
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.id == delivery.id,
            Delivery.status == "pending",
            Delivery.next_attempt_at == delivery.next_attempt_at,
        )
        .values(next_attempt_at=now + LEASE)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


async def cancel(session: AsyncSession, delivery: Delivery, reason: str) -> None:
    """Give up a pending send that no longer makes sense (e.g. the survey was completed)."""
    delivery.status = "cancelled"
    delivery.next_attempt_at = None
    delivery.last_error = reason[:2000]
    await session.flush()


async def existing_keys(session: AsyncSession, keys: Iterable[str], chunk: int = 500) -> set[str]:
    """Which of ``keys`` are already claimed (exact matches, so the unique index serves it)."""
    wanted = list(keys)
    found: set[str] = set()
    for start in range(0, len(wanted), chunk):
        part = wanted[start : start + chunk]
        found.update(await session.scalars(select(Delivery.key).where(Delivery.key.in_(part))))
    return found


async def scrub_finished(session: AsyncSession, prefix: str) -> int:
    """Forget the chat and content of finished sends under ``prefix`` (respondents' reminders):
    the key alone still prevents a second send, and no chat id outlives its need.
    """
    result = await session.execute(
        update(Delivery)
        .where(
            Delivery.key.startswith(prefix, autoescape=True),
            Delivery.status != "pending",
            Delivery.chat_id != "",
        )
        .values(chat_id="", payload={"messages": []})
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


async def undeliverable_since(
    session: AsyncSession, since: datetime, limit: int = 20
) -> list[tuple[str, str, int]]:
    """``(channel, reason, count)`` of sends refused for good since ``since``, most first:
    what staff need to see (no chat id, no content)."""
    count = func.count().label("n")
    rows = await session.execute(
        select(Delivery.channel, Delivery.last_error, count)
        .where(Delivery.status == "undeliverable", Delivery.created_at >= since)
        .group_by(Delivery.channel, Delivery.last_error)
        .order_by(count.desc())
        .limit(limit)
    )
    return [(channel, reason or "", int(n)) for channel, reason, n in rows]
