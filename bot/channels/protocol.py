"""The channel protocol: what an adapter does, and nothing more.

An adapter has two thin sides (Rasa's input and output channels; RapidPro's courier handlers):

- **input**: it turns a platform update into one channel-neutral ``Inbound`` (text, a pressed
  choice, a command, a start with a payload, unsupported content) with a stable chat identity
  and the platform's message id, and hands it to ``bot.conversation.router``. It never decides
  what to answer.
- **output**: it renders one channel-neutral ``Outbound`` (``flows.outbound``: a message with
  choices, an answer echo that edits a question in place, a photo) in its platform's idiom, and
  declares its ``Capabilities`` so the glue knows when to fall back (a numbered list when there
  are no buttons, a short code when there is no start payload, split at ``max_text``).

Sending first (reminders, digests, result notices) uses the stored ``ConversationRef``, as
botbuilder's ``continue_conversation`` does; the platform is never named outside its adapter.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from flows.outbound import ConversationRef, Outbound

if TYPE_CHECKING:
    from aiohttp import web

__all__ = [
    "BACK",
    "Capabilities",
    "Channel",
    "ChannelUnavailable",
    "Command",
    "ConversationRef",
    "Inbound",
    "InboundEvent",
    "Pressed",
    "Receiver",
    "Route",
    "SendContext",
    "SendFailed",
    "Start",
    "Text",
    "Undeliverable",
    "Unsupported",
]


@dataclass(frozen=True)
class Capabilities:
    """What a platform can show; the glue falls back for whatever is False."""

    buttons: bool = False  # choices as tappable buttons (else: a numbered list to type from)
    edits: bool = False  # a sent message can be edited (the answered question shows the answer)
    max_text: int = 2000  # characters in one message; longer texts are split, never cut
    start_payload: bool = False  # a link can open the chat with a payload (else: a short code)
    images: bool = False  # photos (a QR code, a chart) can be sent


# --- inbound: what a person did, in no platform's words -------------------------------------


@dataclass(frozen=True)
class Text:
    text: str


BACK = "<"  # the value of a pressed "↩ Quay lại" button


@dataclass(frozen=True)
class Pressed:
    """A button of an earlier message: which session and question it belonged to (``value``
    is the choice's value, or ``BACK``)."""

    session_id: int | None
    prompt_id: str
    value: str


@dataclass(frozen=True)
class Command:
    """``/name argument``: a platform's command syntax, already parsed by the adapter."""

    name: str
    argument: str = ""


@dataclass(frozen=True)
class Start:
    """The chat was opened through a link carrying ``payload`` (may be empty)."""

    payload: str = ""


@dataclass(frozen=True)
class Unsupported:
    """Content the survey cannot take: ``sticker``, ``photo``, ``voice``, ``withheld``, ..."""

    kind: str


InboundEvent = Text | Pressed | Command | Start | Unsupported


@dataclass(frozen=True)
class Inbound:
    """One platform update, channel-neutral.

    ``message_id`` is the platform's id of the update (de-duplication: a re-delivered update is
    answered once); ``handle`` is opaque to the glue and given back to the adapter with the
    reply (e.g. the pressed message to edit, the callback to acknowledge).
    """

    ref: ConversationRef
    event: InboundEvent
    message_id: str | None = None
    locale: str | None = None
    group: bool = False
    edited: bool = False
    handle: object | None = None


# --- outbound -------------------------------------------------------------------------------


@dataclass(frozen=True)
class SendContext:
    """What a renderer may tie a message to: the session (compact button data) and the inbound
    ``handle`` it answers (the pressed message an echo edits)."""

    session_id: int | None = None
    handle: object | None = None


class SendFailed(Exception):
    """The platform did not take a message this time (network, 5xx, rate limit); the outbox
    retries with back-off, then queues it for the scheduler."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Undeliverable(SendFailed):
    """The platform refused for good (bot blocked, user not following, window closed):
    recorded with its reason for staff, never retried."""

    permanent = True  # read by the scheduler, which knows no channel types

    def __init__(self, reason: str, code: str = "") -> None:
        super().__init__(reason)
        self.code = code


class ChannelUnavailable(Exception):
    """A channel cannot start (its platform refused the credentials or did not answer); the
    message says which, in one line, for a commune's IT officer. ``temporary``: the platform
    did not answer, so trying again later may work (refused credentials never will)."""

    def __init__(self, reason: str, *, temporary: bool = False) -> None:
        super().__init__(reason)
        self.temporary = temporary


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]


Receiver = Callable[["Channel", Inbound], Awaitable[None]]


class Channel(Protocol):
    name: str
    capabilities: Capabilities
    polls: bool  # takes updates by polling (one process at a time), else by its webhook routes

    def routes(self) -> Sequence[Route]:
        """Webhook routes for the web server (none in polling mode)."""
        ...

    async def start(self) -> None:
        """Begin taking updates (polling loop, webhook registration, token refresh); each one
        goes to the ``Receiver`` the adapter was built with. Nothing else."""
        ...

    async def prepare(self) -> None:
        """Connect for sending only (a CLI command): learn what links need, take no updates."""
        ...

    async def stop(self) -> None: ...

    async def send(self, ref: ConversationRef, item: Outbound, context: SendContext) -> None:
        """Deliver one outbound item; raise SendFailed (temporary) or Undeliverable."""
        ...

    async def acknowledge(self, inbound: Inbound, text: str | None = None) -> None:
        """Tell the platform an update was handled (a button's spinner); may be a no-op."""
        ...

    def entry_link(self, payload: str) -> str | None:
        """A link that opens the chat carrying ``payload`` (None: no start payload)."""
        ...

    def chat_link(self) -> str | None:
        """A link that opens the chat with the bot or account, for landing pages."""
        ...
