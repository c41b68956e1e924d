"""Telegram updates in channel-neutral terms: what a person did, and the handle of a press.

Two readers share one set of rules: ``inbound_of_json`` reads the update's JSON as it came
(the webhook and our poller: building PTB's object tree for every update, keyboards included,
cost more than the rest of reading it), ``inbound_of`` reads PTB's ``Update`` (kept as the
reference the JSON reader is tested against).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from telegram import Message as TgMessage
from telegram import Update, User

from bot.channels.protocol import Inbound, InboundEvent, Pressed, Text, Unsupported
from bot.channels.telegram.ui import parse_callback
from bot.conversation.router import command_of
from flows.outbound import ConversationRef

CHANNEL = "telegram"
PRIVATE = "private"
ATTACHMENTS = (
    "sticker photo voice video video_note audio document animation location venue contact "
    "poll dice game story"
).split()
JSON = dict[str, Any]


def locale_of(user: User | None) -> str | None:
    return _locale(user.language_code if user else None)


def _locale(code: object) -> str | None:
    return "en" if isinstance(code, str) and code.lower().startswith("en") else None


@dataclass(frozen=True)
class Press:
    """The handle of a pressed button: the callback to answer and the message to edit."""

    query_id: str
    message_id: int | None  # the pressed message (None: too old for Telegram to say)
    text: str | None


def _inbound(
    update_id: int, chat_id: int, chat_type: str, locale: str | None, event: InboundEvent,
    **extra: Any,
) -> Inbound:  # fmt: skip
    return Inbound(
        ConversationRef(CHANNEL, str(chat_id)),
        event,
        message_id=str(update_id),
        locale=locale,
        group=chat_type != PRIVATE,
        **extra,
    )


def _pressed(data: object) -> Pressed:
    return Pressed(*(parse_callback(data if isinstance(data, str) else None) or (None, "", "")))


def _said(text: str | None, has: Callable[[str], bool]) -> InboundEvent:
    """A message's text (a command or an answer), or the kind of what came instead."""
    if text is not None:
        return command_of(text) or Text(text)
    return Unsupported(next((name for name in ATTACHMENTS if has(name)), "other"))


def inbound_of(update: Update) -> Inbound | None:
    """The channel-neutral form of an update (None: nothing a person said to the bot)."""
    chat = update.effective_chat
    if chat is None:
        return None  # channel posts, polls, inline queries: not for this bot
    locale = locale_of(update.effective_user)
    common = (update.update_id, chat.id, chat.type, locale)
    query = update.callback_query
    if query is not None:
        pressed = query.message if isinstance(query.message, TgMessage) else None
        handle = Press(query.id, pressed.message_id if pressed else None,
                       pressed.text if pressed else None)  # fmt: skip
        return _inbound(*common, _pressed(query.data), handle=handle)
    if update.edited_message is not None:
        return _inbound(*common, Text(""), edited=True)
    msg = update.message
    if msg is None:
        return None
    return _inbound(*common, _said(msg.text, lambda name: bool(getattr(msg, name, None))))


def _object(data: object, key: str) -> JSON | None:
    found = data.get(key) if isinstance(data, dict) else None
    if found is not None and not isinstance(found, dict):
        raise ValueError(f"{key} is not an object")
    return found


def _integer(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ValueError(f"{what} is not an integer")
    return value


def inbound_of_json(update: JSON) -> Inbound | None:
    """``inbound_of`` for the update's JSON; ValueError when it is not a readable update."""
    update_id = _integer(update.get("update_id"), "update_id")
    query = _object(update, "callback_query")
    edited = _object(update, "edited_message")
    message = _object(update, "message")
    if message is not None:
        source = message
    elif edited is not None:
        source = edited
    elif query is not None:
        source = _object(query, "message")
    else:
        return None
    chat = _object(source, "chat")
    if chat is None:
        return None  # a press on a message Telegram no longer shows (inline mode)
    chat_id = _integer(chat.get("id"), "chat id")
    chat_type = chat.get("type")
    if not isinstance(chat_type, str):
        raise ValueError("chat type is not a string")
    user = _object(query if query is not None else source, "from")
    common = (update_id, chat_id, chat_type, _locale(user.get("language_code") if user else None))
    if query is not None:
        query_id = query.get("id")
        if not isinstance(query_id, str):
            raise ValueError("callback query id is not a string")
        shown = _object(query, "message")
        if shown is not None:
            text = shown.get("text")
            handle = Press(query_id, _integer(shown.get("message_id"), "message id"),
                           text if isinstance(text, str) else None)  # fmt: skip
        else:
            handle = Press(query_id, None, None)
        return _inbound(*common, _pressed(query.get("data")), handle=handle)
    if edited is not None:
        return _inbound(*common, Text(""), edited=True)
    assert message is not None
    text = message.get("text")
    if text is not None and not isinstance(text, str):
        raise ValueError("text is not a string")
    return _inbound(*common, _said(text, lambda name: bool(message.get(name))))
