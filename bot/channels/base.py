"""What every channel adapter offers, and the reference that lets us message a chat first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from flows.outbound import ConversationRef, Outbound

__all__ = ["Channel", "ChannelRegistry", "ConversationRef", "SendContext", "SendFailed"]


@dataclass(frozen=True)
class SendContext:
    """What a renderer may tie buttons to (compact callback data names the session)."""

    session_id: int | None = None


class SendFailed(Exception):
    """The platform did not accept a message after bounded retries; the caller records it."""


class Channel(Protocol):
    name: str

    async def send(
        self,
        ref: ConversationRef,
        messages: Sequence[Outbound],
        context: SendContext = SendContext(),
    ) -> None:
        """Deliver ``messages`` to the chat, in order. Raises SendFailed when it gives up."""
        ...


class ChannelRegistry:
    """Channels by name: the scheduler and the CLI send through it without knowing platforms."""

    def __init__(self) -> None:
        self._channels: dict[str, Channel] = {}

    def add(self, channel: Channel) -> None:
        self._channels[channel.name] = channel

    def get(self, name: str) -> Channel | None:
        return self._channels.get(name)

    def names(self) -> list[str]:
        return sorted(self._channels)

    async def send(
        self,
        ref: ConversationRef,
        messages: Sequence[Outbound],
        context: SendContext = SendContext(),
    ) -> None:
        channel = self._channels.get(ref.channel)
        if channel is None:
            raise SendFailed(f"channel {ref.channel!r} is not configured")
        await channel.send(ref, messages, context)
