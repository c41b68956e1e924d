"""Zalo Bot API updates turned into channel-neutral ``Inbound`` events (parsing only).

Zalo documents two shapes and both are seen in the wild: updates named by ``event_name``
(``message.text.received``, ``message.image.received``, ...), and the getUpdates sample of the
docs that carries no ``event_name`` at all and names the sender ``first_name`` instead of
``display_name``. Without a name the kind is read from the fields (text, photo, sticker).
Webhook bodies come wrapped like getUpdates answers (``{ok, result: update}``) or bare.
Anything the survey cannot read (voice, content Zalo withholds for privacy, a future event)
becomes ``Unsupported(kind)``: the router answers kindly and changes nothing.
"""

from __future__ import annotations

import hashlib
from typing import Any

from bot.channels.protocol import Inbound, InboundEvent, Text, Unsupported
from bot.conversation.router import command_of
from flows.outbound import ConversationRef

CHANNEL = "zalo_bot"
TEXT_EVENT = "message.text.received"
# event_name -> the kind the router is told about (anything else: "other")
NAMED_KINDS = {
    "message.image.received": "photo",
    "message.sticker.received": "sticker",
    "message.unsupported.received": "withheld",  # content Zalo withholds for privacy
    "message.voice.received": "voice",
    "message.audio.received": "voice",
}
JSON = dict[str, Any]


def event_of(body: Any) -> JSON | None:
    """The event object of a body, wrapped (``{ok, result: {...}}``) or bare: one with a
    ``message`` or an ``event_name`` (None: the body is not a Zalo event)."""
    if isinstance(body, dict) and isinstance(body.get("result"), dict):
        body = body["result"]
    if isinstance(body, dict) and (
        isinstance(body.get("message"), dict) or isinstance(body.get("event_name"), str)
    ):
        return body
    return None


def update_of(body: Any) -> JSON | None:
    """The message update in a body (None: not one, or an event that carries no message)."""
    event = event_of(body)
    return event if event is not None and isinstance(event.get("message"), dict) else None


def kind_of(update: JSON) -> str:
    """``text``, or the kind of unsupported content: by ``event_name`` when there is one,
    else by the fields present."""
    message: JSON = update["message"]
    name = update.get("event_name")
    if isinstance(name, str) and name:
        if name == TEXT_EVENT:
            return "text" if isinstance(message.get("text"), str) else "other"
        return NAMED_KINDS.get(name, "voice" if "voice" in name else "other")
    if message.get("photo_url") or message.get("photo"):
        return "photo"
    if message.get("sticker"):
        return "sticker"
    if isinstance(message.get("text"), str):
        return "text"
    return "other"


def update_key(chat_id: str, message_id: str) -> str:
    """The de-duplication key of a message: Zalo does not say that ``message_id`` is unique
    across chats, so it is scoped by the chat, hashed so that no chat id is stored with it."""
    return hashlib.sha256(f"{chat_id}\x00{message_id}".encode()).hexdigest()[:40]


def inbound_of(update: JSON) -> Inbound | None:
    """The channel-neutral form of one update (None: nothing to answer: no chat, a bot)."""
    message: JSON = update["message"]
    chat = message.get("chat") if isinstance(message.get("chat"), dict) else {}
    sender = message.get("from") if isinstance(message.get("from"), dict) else {}
    chat_id = str(chat.get("id") or sender.get("id") or "")
    if not chat_id or sender.get("is_bot") is True:
        return None
    kind = kind_of(update)
    event: InboundEvent
    if kind == "text":
        text = str(message["text"])
        event = command_of(text.strip()) or Text(text)
    else:
        event = Unsupported(kind)
    message_id = message.get("message_id")
    return Inbound(
        ConversationRef(CHANNEL, chat_id),
        event,
        message_id=update_key(chat_id, str(message_id)) if message_id not in (None, "") else None,
        group=str(chat.get("chat_type") or "PRIVATE").upper() != "PRIVATE",
    )
