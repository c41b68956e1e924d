"""What the product says, independent of any platform: channel adapters render these.

The engine produces ``Message`` and ``AnswerEcho``; the scheduler and staff commands also send
``Photo`` (a chart). Adapters turn them into inline keyboards, numbered lists or HTML buttons.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ConversationRef:
    """A chat as its channel names it; stored with sessions and staff bindings so the
    scheduler can message it first without knowing the platform.

    ``chat_id`` stays out of the repr: it is a person's chat, or a web link's token (the
    capability to answer), and a ref printed in a log line must reveal neither.
    """

    channel: str
    chat_id: str = field(repr=False)


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

    @property
    def full_text(self) -> str:
        """The header (e.g. "Câu 5/22") above the text, as a plain-text channel shows it."""
        return f"{self.header}\n{self.text}" if self.header else self.text


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


def to_payload(messages: tuple[Outbound, ...] | list[Outbound]) -> list[dict[str, object]]:
    """JSON-able form of outbound messages, to store a send that must be retried later."""
    import base64
    from dataclasses import asdict

    payload: list[dict[str, object]] = []
    for item in messages:
        if isinstance(item, Photo):
            payload.append(
                {
                    "type": "photo",
                    "png": base64.b64encode(item.png).decode(),
                    "caption": item.caption,
                }
            )
        elif isinstance(item, AnswerEcho):
            payload.append({"type": "echo", **asdict(item)})
        else:
            data = asdict(item)
            data["options"] = [asdict(o) for o in item.options]
            payload.append({"type": "message", **data})
    return payload


def from_payload(payload: list[dict[str, object]]) -> list[Outbound]:
    import base64

    messages: list[Outbound] = []
    for raw in payload:
        data = dict(raw)
        kind = data.pop("type")
        if kind == "photo":
            messages.append(Photo(base64.b64decode(str(data["png"])), str(data["caption"])))
        elif kind == "echo":
            messages.append(AnswerEcho(str(data["prompt_id"]), str(data["text"])))
        else:
            options = tuple(Option(**o) for o in data.pop("options"))  # type: ignore[arg-type,attr-defined]
            progress = data.pop("progress")
            messages.append(
                Message(
                    options=options,
                    progress=tuple(progress) if progress else None,  # type: ignore[arg-type]
                    **data,  # type: ignore[arg-type]
                )
            )
    return messages
