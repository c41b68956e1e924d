"""Tokens and short codes drawn many at once (a bulk import's chunk) are drawn as one at a
time would be: secure randomness, the same form, every letter of the alphabet in use."""

from __future__ import annotations

import re

from bot.dossiers.links import (
    SHORT_CODE_ALPHABET,
    SHORT_CODE_LENGTH,
    many,
    new_short_code,
    new_short_codes,
    new_token,
    new_tokens,
)

TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


def test_tokens_drawn_at_once_have_the_form_of_one_drawn_alone() -> None:
    tokens = new_tokens(1000)
    assert len(tokens) == 1000 and len(set(tokens)) == 1000
    assert all(TOKEN.fullmatch(token) for token in [*tokens, new_token()])
    assert many(new_token) is new_tokens


def test_short_codes_drawn_at_once_use_every_letter_in_every_place() -> None:
    """With 2,000 codes, a letter missing from one place would be a broken draw (the chance
    of it by luck is about 31 × 6 × (30/31)^2000, far below one in 10^20)."""
    codes = new_short_codes(2000)
    assert len(codes) == 2000
    assert all(len(code) == SHORT_CODE_LENGTH for code in [*codes, new_short_code()])
    for place in range(SHORT_CODE_LENGTH):
        assert {code[place] for code in codes} == set(SHORT_CODE_ALPHABET)
    assert many(new_short_code) is new_short_codes


def test_another_source_is_asked_once_a_value_in_order() -> None:
    handed = iter(["AAAAAA", "BBBBBB", "CCCCCC"])
    draw = many(lambda: next(handed))
    assert draw(2) == ["AAAAAA", "BBBBBB"]
    assert draw(1) == ["CCCCCC"]
