"""Wording fixes rewrite only the changed text's literal and read back exactly as typed."""

from __future__ import annotations

import pytest

from bot.flow_admin import wording as flow_wording
from bot.flow_admin.catalog import DEFAULT_FLOWS
from flows.loader import parse_flow

SOURCE = (DEFAULT_FLOWS / "mau02.toml").read_text(encoding="utf-8")
FLOW = parse_flow(SOURCE)


def test_every_text_of_the_default_flow_is_offered_in_both_languages() -> None:
    fields = flow_wording.fields(FLOW, SOURCE)
    labels = {f.label for f in fields}
    assert {"title", "texts.intro", "texts.thanks", "factor F1", "1.1", "5.4"} <= labels
    assert len(fields) == 2 * (1 + 7 + len(FLOW.factors) + len(FLOW.questions))


def test_a_change_touches_one_literal_and_survives_quotes_and_backslashes() -> None:
    typed = 'Quý cơ quan "đánh giá" C:\\thư mục   mới'
    changed = flow_wording.apply(FLOW, SOURCE, {"vi|questions/2/text": typed, "en|flow/title": "T"})
    before, after = SOURCE.splitlines(), changed.splitlines()
    differing = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert len(differing) == 2
    flow = parse_flow(changed)
    assert flow.questions[2].text.get("vi") == 'Quý cơ quan "đánh giá" C:\\thư mục mới'
    assert flow.questions[2].text.get("en") == FLOW.questions[2].text.get("en")
    assert flow.title.get("en") == "T"


def test_unknown_or_empty_texts_are_refused() -> None:
    with pytest.raises(flow_wording.WordingError):
        flow_wording.apply(FLOW, SOURCE, {"vi|questions/99/text": "x"})
    with pytest.raises(flow_wording.WordingError, match="empty"):
        flow_wording.apply(FLOW, SOURCE, {"vi|texts/intro": "   "})
    assert flow_wording.apply(FLOW, SOURCE, {}) == SOURCE
