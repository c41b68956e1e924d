"""Sending, for every channel: shape the messages, retry what failed, keep what could not go.

``send`` is what the scheduler and the CLI use: bounded retries (a platform's ``retry_after``
is honoured), then ``SendFailed`` for the caller to record. ``deliver`` is for replies: it never
raises; a refusal for good (``Undeliverable``) is recorded with its reason for staff, and what
still fails after the retries is stored as a delivery that the scheduler's retry job re-sends.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence

from bot.channels.protocol import Channel, SendContext, SendFailed, Undeliverable
from bot.channels.registry import ChannelRegistry
from bot.conversation.guard import guarded
from bot.conversation.rendering import adapt
from flows.outbound import AnswerEcho, ConversationRef, Outbound, to_payload
from scheduler.clock import Clock
from storage.db import Database, DatabaseUnavailable
from storage.repos import deliveries

log = logging.getLogger(__name__)

SEND_ATTEMPTS = 3
NO_CONTEXT = SendContext()
MAX_RETRY_WAIT = 30.0


class Outbox:
    def __init__(
        self,
        channels: ChannelRegistry,
        db: Database,
        clock: Clock,
        *,
        locale: str = "vi",
        retry_delay: float = 1.0,
    ) -> None:
        self.channels = channels
        self.db = db
        self.clock = clock
        self.locale = locale
        self.retry_delay = retry_delay

    def channel(self, ref: ConversationRef) -> Channel:
        channel = self.channels.get(ref.channel)
        if channel is None:
            raise SendFailed(f"channel {ref.channel!r} is not configured")
        return channel

    async def send(
        self,
        ref: ConversationRef,
        messages: Sequence[Outbound],
        context: SendContext = NO_CONTEXT,
    ) -> None:
        """Every message, in order, or SendFailed / Undeliverable once retries are spent."""
        channel = self.channel(ref)
        for item in adapt(messages, channel.capabilities, self.locale):
            await self._attempt(channel, ref, item, context)

    async def deliver(
        self,
        ref: ConversationRef,
        messages: Sequence[Outbound],
        context: SendContext = NO_CONTEXT,
    ) -> None:
        """A reply: sent now, or recorded (undeliverable) or queued (failed); never raises."""
        try:
            channel = self.channel(ref)
        except SendFailed as exc:
            log.error("cannot reply on %s: %s", ref.channel, exc)
            return
        shaped = adapt(messages, channel.capabilities, self.locale)
        for position, item in enumerate(shaped):
            try:
                await self._attempt(channel, ref, item, context)
            except Undeliverable as exc:
                await self._record(ref, shaped[position:], exc, undeliverable=True)
                return
            except SendFailed as exc:
                rest = [m for m in shaped[position:] if not isinstance(m, AnswerEcho)]
                await self._record(ref, rest, exc, undeliverable=False)
                return

    async def _attempt(
        self, channel: Channel, ref: ConversationRef, item: Outbound, context: SendContext
    ) -> None:
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await channel.send(ref, item, context)
                return
            except Undeliverable:
                raise
            except SendFailed as exc:
                too_long = exc.retry_after is not None and exc.retry_after > MAX_RETRY_WAIT
                if attempt == SEND_ATTEMPTS or too_long:  # a quota: the scheduler retries
                    raise
                wait = exc.retry_after
                if wait is None:
                    wait = self.retry_delay * 2 ** (attempt - 1)
                log.warning(
                    "sending on %s failed (%s); attempt %d of %d in %.1fs",
                    ref.channel, exc, attempt + 1, SEND_ATTEMPTS, wait,
                )  # fmt: skip
                await asyncio.sleep(min(wait, MAX_RETRY_WAIT))

    async def _record(
        self,
        ref: ConversationRef,
        messages: Sequence[Outbound],
        error: SendFailed,
        *,
        undeliverable: bool,
    ) -> None:
        """Keep the send in ``deliveries``: pending for a retry, or undeliverable for staff."""
        what = "undeliverable" if undeliverable else "queued for a later retry"
        log.error(
            "a reply of %d message(s) on %s was not sent (%s): %s",
            len(messages), ref.channel, what, error,
        )  # fmt: skip
        if not messages:
            return
        now = self.clock()
        try:
            async with guarded(self.db) as session:
                delivery = await deliveries.claim(
                    session,
                    key=f"retry:{ref.channel}:{uuid.uuid4().hex}",
                    channel=ref.channel,
                    chat_id=ref.chat_id,
                    payload=to_payload(list(messages)),
                    now=now,
                )
                if delivery is None:
                    return
                if undeliverable:
                    code = getattr(error, "code", "")
                    reason = f"{code}: {error}" if code else str(error)
                    await deliveries.mark_undeliverable(session, delivery, reason, now)
                else:
                    await deliveries.mark_failed(session, delivery, str(error), now)
        except DatabaseUnavailable as exc:
            log.error("could not record the unsent reply on %s: %s", ref.channel, exc)
