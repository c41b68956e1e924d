"""How the scheduler hands messages to the channels, and records each send.

``Sender`` is satisfied by the conversation outbox (the scheduler never knows the
platform). Every send is claimed in ``deliveries`` first; any exception from the sender is a
failure, recorded for a later retry with back-off.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from flows.outbound import ConversationRef, Outbound, from_payload
from scheduler.clock import Clock
from storage.db import Database
from storage.models import Delivery
from storage.repos import deliveries

log = logging.getLogger(__name__)


class Sender(Protocol):
    async def send(self, ref: ConversationRef, messages: Sequence[Outbound]) -> None:
        """Deliver ``messages`` to the chat in order; raise on failure. An exception whose
        ``permanent`` attribute is true (the platform refused for good) is never retried."""
        ...


async def send_claimed(
    db: Database,
    sender: Sender,
    clock: Clock,
    key: str,
    ref: ConversationRef,
    messages: Sequence[Outbound],
) -> bool:
    """Send a delivery already claimed (and committed) under ``key``; record the outcome."""
    try:
        await sender.send(ref, messages)
    except Exception as exc:  # any failure of the platform or the adapter is recorded
        permanent = bool(getattr(exc, "permanent", False))
        # The key's kind only: its other parts may name a chat (digest:...:<channel>:<chat>).
        log.warning("sending a %s on %s failed: %s", key.partition(":")[0], ref.channel, exc)
        error = f"{type(exc).__name__}: {exc}"
        await _record(db, key, clock(), error=error, permanent=permanent)
        return False
    await _record(db, key, clock(), error=None)
    return True


async def _record(
    db: Database, key: str, now: datetime, error: str | None, permanent: bool = False
) -> None:
    async with db.transaction() as session:
        delivery = await deliveries.by_key(session, key)
        if delivery is None:
            return
        if error is None:
            await deliveries.mark_sent(session, delivery, now)
        elif permanent:
            await deliveries.mark_undeliverable(session, delivery, error, now)
        else:
            await deliveries.mark_failed(session, delivery, error, now)


def messages_of(delivery: Delivery) -> list[Outbound]:
    return from_payload(list(delivery.payload.get("messages", [])))


def ref_of(delivery: Delivery) -> ConversationRef:
    return ConversationRef(delivery.channel, delivery.chat_id)
