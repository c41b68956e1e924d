"""How survey messages look in Telegram: text, inline keyboards and compact callback data.

Pure functions (no I/O), kept apart from the adapter so the format of a button is defined and
tested in one place. A button carries ``<session>|<prompt>|<value>`` (at most 64 bytes, as
Telegram requires): the session and question it belongs to travel with every press.
"""

from __future__ import annotations

from typing import Any

from bot.channels.protocol import BACK
from flows.outbound import Message

MAX_CALLBACK_BYTES = 64


def callback_data(session_id: int | None, prompt_id: str, value: str) -> str:
    """``<session>|<prompt>|<value>``: ties a button to its session and question, so a press
    on an old message can never answer a newer question."""
    data = f"{session_id if session_id is not None else ''}|{prompt_id}|{value}"
    if len(data.encode()) > MAX_CALLBACK_BYTES:
        raise ValueError(f"callback data longer than {MAX_CALLBACK_BYTES} bytes: {data!r}")
    return data


def parse_callback(data: str | None) -> tuple[int | None, str, str] | None:
    parts = (data or "").split("|")
    if len(parts) != 3 or not parts[1] or not parts[2]:
        return None
    session, prompt_id, value = parts
    if session and not session.isdigit():
        return None
    return (int(session) if session else None), prompt_id, value


def render_text(item: Message) -> str:
    return item.full_text


def render_keyboard(item: Message, session_id: int | None) -> dict[str, Any] | None:
    """One button per row: large targets for elderly respondents; the number to type is shown.
    The Bot API's ``InlineKeyboardMarkup`` as JSON (sent as is, see ``bot_api``)."""
    rows: list[list[dict[str, str]]] = []
    if item.prompt_id:
        for option in item.options:
            mark = "✓ " if item.selected == option.value else ""
            key = f"{option.key}. " if option.key else ""
            data = callback_data(session_id, item.prompt_id, option.value)
            rows.append([{"text": f"{mark}{key}{option.label}", "callback_data": data}])
        if item.back_label:
            data = callback_data(session_id, item.prompt_id, BACK)
            rows.append([{"text": item.back_label, "callback_data": data}])
    if item.url:
        rows.append([{"text": item.url_label or item.url, "url": item.url}])
    return {"inline_keyboard": rows} if rows else None
