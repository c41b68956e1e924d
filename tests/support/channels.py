"""A chat channel defined in the tests, not in bot/: it stands in for a platform across the
network, keeps what it is given, and plays people who type or press. It satisfies the channel
protocol, so the registry, the router, the outbox and the scheduler use it like any adapter.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from bot.channels.protocol import (
    Capabilities,
    Inbound,
    InboundEvent,
    Route,
    SendContext,
    SendFailed,
    Undeliverable,
)
from flows.outbound import ConversationRef, Message, Outbound, Photo

EVERYTHING = Capabilities(buttons=True, edits=True, max_text=4096, start_payload=True, images=True)
NOTHING = Capabilities(buttons=False, edits=False, max_text=300, start_payload=False, images=False)


@dataclass
class RecordingChannel:
    """Records every item sent; ``failing`` makes sends fail (temporarily) as a dead network
    would, ``refusing`` makes them fail for good."""

    name: str = "telegram"
    capabilities: Capabilities = EVERYTHING
    polls: bool = False
    deep_link_base: str = "https://t.me/sipas_test_bot?start="
    chat_url: str | None = None
    sent: list[tuple[ConversationRef, list[Outbound]]] = field(default_factory=list)
    contexts: list[SendContext] = field(default_factory=list)
    acknowledged: list[tuple[Inbound, str | None]] = field(default_factory=list)
    failing: bool = False
    refusing: bool = False
    started: bool = False

    def routes(self) -> Sequence[Route]:
        return []

    async def start(self) -> None:
        self.started = True

    async def prepare(self) -> None:
        return None

    async def stop(self) -> None:
        self.started = False

    async def send(self, ref: ConversationRef, item: Outbound, context: SendContext) -> None:
        if self.refusing:
            raise Undeliverable("the person blocked the bot", "blocked")
        if self.failing:
            raise SendFailed("the platform did not answer")
        self.sent.append((ref, [item]))
        self.contexts.append(context)

    async def acknowledge(self, inbound: Inbound, text: str | None = None) -> None:
        self.acknowledged.append((inbound, text))

    def entry_link(self, payload: str) -> str | None:
        return self.deep_link_base + payload if self.capabilities.start_payload else None

    def chat_link(self) -> str | None:
        return self.chat_url

    # --- what tests read ------------------------------------------------------------------
    def to(self, chat_id: str) -> list[list[Outbound]]:
        return [messages for ref, messages in self.sent if ref.chat_id == chat_id]

    def texts_to(self, chat_id: str) -> list[str]:
        return [m.text for batch in self.to(chat_id) for m in batch if isinstance(m, Message)]

    def photos_to(self, chat_id: str) -> list[Photo]:
        return [m for batch in self.to(chat_id) for m in batch if isinstance(m, Photo)]

    def last_text(self, chat_id: str) -> str:
        texts = self.texts_to(chat_id)
        assert texts, f"nothing was sent to {chat_id}"
        return texts[-1]


@dataclass
class Person:
    """Someone in a chat of a RecordingChannel: each action is one update with a new id."""

    services: Any
    channel: RecordingChannel
    chat_id: str
    locale: str | None = None
    counter: int = 0

    @property
    def ref(self) -> ConversationRef:
        return ConversationRef(self.channel.name, self.chat_id)

    async def does(self, event: InboundEvent, *, message_id: str | None = None) -> str:
        """Send one update through the router; returns its message id (to re-deliver it)."""
        self.counter += 1
        key = message_id or f"{self.chat_id}-{self.counter}"
        inbound = Inbound(self.ref, event, message_id=key, locale=self.locale)
        await self.services.router.receive(self.channel, inbound)
        return key
