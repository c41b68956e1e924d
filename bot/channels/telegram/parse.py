"""Telegram updates in channel-neutral terms: what a person did, and the handle of a press."""

from __future__ import annotations

from dataclasses import dataclass

from telegram import Message as TgMessage
from telegram import Update, User
from telegram.constants import ChatType

from bot.channels.protocol import Inbound, InboundEvent, Pressed, Text, Unsupported
from bot.channels.telegram.ui import parse_callback
from bot.conversation.router import command_of
from flows.outbound import ConversationRef

CHANNEL = "telegram"
ATTACHMENTS = (
    "sticker photo voice video video_note audio document animation location venue contact "
    "poll dice game story"
).split()


def locale_of(user: User | None) -> str | None:
    code = (user.language_code or "") if user else ""
    return "en" if code.lower().startswith("en") else None


@dataclass(frozen=True)
class Press:
    """The handle of a pressed button: the callback to answer and the message to edit."""

    query_id: str
    message_id: int | None  # the pressed message (None: too old for Telegram to say)
    text: str | None


def inbound_of(update: Update) -> Inbound | None:
    """The channel-neutral form of an update (None: nothing a person said to the bot)."""
    chat = update.effective_chat
    if chat is None:
        return None  # channel posts, polls, inline queries: not for this bot
    ref = ConversationRef(CHANNEL, str(chat.id))
    common = {
        "message_id": str(update.update_id),
        "locale": locale_of(update.effective_user),
        "group": chat.type != ChatType.PRIVATE,
    }
    query = update.callback_query
    if query is not None:
        parsed = parse_callback(query.data) or (None, "", "")
        pressed = query.message if isinstance(query.message, TgMessage) else None
        event: InboundEvent = Pressed(*parsed)
        handle = (
            Press(query.id, pressed.message_id, pressed.text)
            if pressed
            else Press(query.id, None, None)
        )
        return Inbound(ref, event, handle=handle, **common)  # type: ignore[arg-type]
    if update.edited_message is not None:
        return Inbound(ref, Text(""), edited=True, **common)  # type: ignore[arg-type]
    msg = update.message
    if msg is None:
        return None
    if msg.text is not None:
        event = command_of(msg.text) or Text(msg.text)
    else:
        kind = next((name for name in ATTACHMENTS if getattr(msg, name, None)), "other")
        event = Unsupported(kind)
    return Inbound(ref, event, **common)  # type: ignore[arg-type]
