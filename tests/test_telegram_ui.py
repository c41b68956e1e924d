"""Telegram buttons: compact callback data that round-trips, and the keyboard's layout."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.channels.telegram.ui import (
    BACK,
    callback_data,
    parse_callback,
    render_keyboard,
    render_text,
)
from flows.loader import ID_PATTERN
from flows.outbound import Message, Option

PROMPT_IDS = st.from_regex(ID_PATTERN, fullmatch=True)
VALUES = st.sampled_from(["0", "1", "5", "yes", "no", "skip", "go", BACK])


@given(st.none() | st.integers(min_value=1, max_value=2**63 - 1), PROMPT_IDS, VALUES)
def test_callback_data_round_trips_within_64_bytes(
    session_id: int | None, prompt_id: str, value: str
) -> None:
    """Any flow question id (flows.loader allows 32 characters) with any session id fits."""
    data = callback_data(session_id, prompt_id, value)
    assert len(data.encode()) <= 64
    assert parse_callback(data) == (session_id, prompt_id, value)


@pytest.mark.parametrize("data", [None, "", "x", "1|2", "a|1.1|5", "1||5", "1|1.1|", "1|a|b|c"])
def test_foreign_callback_data_is_rejected(data: str | None) -> None:
    assert parse_callback(data) is None


def test_question_keyboard_one_large_button_per_row() -> None:
    options = tuple(Option(label, str(n), str(n)) for n, label in enumerate("ABCDE", start=1))
    question = Message(
        "Nơi ngồi chờ có đủ chỗ ngồi",
        "1.1",
        (*options, Option("Không có ý kiến", "0", "0")),
        header="Câu 1/22",
        back_label="↩ Quay lại",
        selected="4",
    )
    assert render_text(question) == "Câu 1/22\nNơi ngồi chờ có đủ chỗ ngồi"
    markup = render_keyboard(question, 42)
    assert markup is not None
    rows = [[(b["text"], b["callback_data"]) for b in row] for row in markup["inline_keyboard"]]
    assert rows == [
        [("1. A", "42|1.1|1")],
        [("2. B", "42|1.1|2")],
        [("3. C", "42|1.1|3")],
        [("✓ 4. D", "42|1.1|4")],
        [("5. E", "42|1.1|5")],
        [("0. Không có ý kiến", "42|1.1|0")],
        [("↩ Quay lại", "42|1.1|<")],
    ]


def test_plain_messages_and_link_buttons() -> None:
    assert render_keyboard(Message("Xin cảm ơn!"), 1) is None
    markup = render_keyboard(Message("Mở trang", url="https://x.test/s/t", url_label="Mở"), None)
    assert markup is not None
    (row,) = markup["inline_keyboard"]
    assert (row[0]["text"], row[0]["url"]) == ("Mở", "https://x.test/s/t")
