"""The webhook reads an update's JSON itself (no PTB object tree per update); it must read
exactly what the poller's reading of PTB's ``Update`` gives, and refuse what is no update."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from bot.channels.telegram.parse import inbound_of, inbound_of_json

USER = {"id": 77, "is_bot": False, "first_name": "Lan", "language_code": "en-US"}
CHAT = {"id": 77, "type": "private", "first_name": "Lan"}
GROUP = {"id": -900, "type": "group", "title": "Tổ một cửa"}
KEYBOARD = {"inline_keyboard": [[{"text": "4. Hài lòng", "callback_data": "12|1.1|4"}]]}
BOT = {"id": 1, "is_bot": True, "first_name": "Bot"}
QUESTION = {"message_id": 31, "date": 1_764_000_000, "chat": CHAT, "text": "Câu 1/22",
            "reply_markup": KEYBOARD, "from": BOT}  # fmt: skip


def _message(**content: Any) -> dict[str, Any]:
    return {"message_id": 40, "date": 1_764_000_100, "chat": CHAT, "from": USER, **content}


UPDATES = {
    "press": {"callback_query": {"id": "q1", "from": USER, "chat_instance": "c",
                                 "data": "12|1.1|4", "message": QUESTION}},
    "press on a message Telegram no longer shows": {
        "callback_query": {"id": "q2", "from": USER, "chat_instance": "c", "data": "12|1.1|<",
                           "message": {"message_id": 31, "date": 0, "chat": CHAT}}},
    "press with foreign data": {"callback_query": {"id": "q3", "from": USER,
                                                   "chat_instance": "c", "data": "x",
                                                   "message": QUESTION}},
    "text": {"message": _message(text="Nhân viên rất tận tình")},
    "command": {"message": _message(text="/start abcDEF_123",
                                    entities=[{"type": "bot_command", "offset": 0,
                                               "length": 6}])},
    "sticker": {"message": _message(sticker={"file_id": "s", "file_unique_id": "u",
                                             "type": "regular", "width": 1, "height": 1,
                                             "is_animated": False, "is_video": False})},
    "edited": {"edited_message": {**_message(text="sửa"), "edit_date": 1_764_000_200}},
    "group": {"message": {**_message(text="1"), "chat": GROUP}},
    "not for the bot": {"my_chat_member": None},
}  # fmt: skip


@pytest.mark.parametrize("kind", list(UPDATES))
def test_the_webhook_reads_an_update_as_the_poller_does(kind: str) -> None:
    data = {"update_id": 5_000 + len(kind), **UPDATES[kind]}
    if kind == "not for the bot":
        data.pop("my_chat_member")
    assert inbound_of_json(data) == inbound_of(Update.de_json(data, None))


@pytest.mark.parametrize(
    "data",
    [
        {"update_id": "1", "message": _message(text="1")},
        {"update_id": True, "message": _message(text="1")},
        {"update_id": 1, "message": "text"},
        {"update_id": 1, "message": {**_message(text="1"), "chat": {"id": "77", "type": "p"}}},
        {"update_id": 1, "message": _message(text=5)},
        {"update_id": 1, "callback_query": {"id": 5, "message": QUESTION, "data": "1|a|b"}},
    ],
)
def test_what_is_no_update_is_refused(data: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        inbound_of_json(data)
