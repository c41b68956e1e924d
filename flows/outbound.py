"""What the product says, independent of any platform: channel adapters render these.

The engine produces ``Message`` and ``AnswerEcho``; the scheduler and staff commands also send
``Photo`` (a chart). Adapters turn them into inline keyboards, numbered lists or HTML buttons.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ConversationRef:
    """A chat as its channel names it; stored with sessions and staff bindings so the
    scheduler can message it first without knowing the platform.
    """

    channel: str
    chat_id: str


@dataclass(frozen=True)
class Option:
    """A button. ``key`` is what a respondent may type instead (shown in numbered lists)."""

    label: str
    value: str
    key: str


@dataclass(frozen=True)
class Message:
    text: str
    prompt_id: str | None = None
    options: tuple[Option, ...] = ()
    header: str | None = None
    progress: tuple[int, int] | None = None
    back_label: str | None = None
    accepts_text: bool = False
    notice: bool = False
    selected: str | None = None  # the option already chosen (when a question is asked again)
    url: str | None = None  # a link button (e.g. open the web chat)
    url_label: str | None = None


@dataclass(frozen=True)
class AnswerEcho:
    """The answer just given to ``prompt_id``; chat channels edit that question to show it."""

    prompt_id: str
    text: str


@dataclass(frozen=True)
class Photo:
    png: bytes
    caption: str = ""


Outbound = Message | AnswerEcho | Photo
