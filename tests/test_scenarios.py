"""Runs the respondent scenarios in tests/scenarios/*.toml against the pure engine."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from flows import engine
from flows.engine import Phase, State
from flows.loader import load_flow_file
from flows.outbound import AnswerEcho, Message

SCENARIOS = sorted((Path(__file__).parent / "scenarios").glob("*.toml"))
FLOWS = Path(__file__).parent.parent / "flows" / "data"


def _event(raw: dict[str, Any]) -> engine.Inbound:
    if "start" in raw:
        return engine.Start()
    if "choose" in raw:
        return engine.Choose(*raw["choose"])
    if "text" in raw:
        return engine.Text(raw["text"])
    if "back" in raw:
        return engine.Back()
    return engine.Unsupported(raw["unsupported"])


def _effect(effect: engine.Effect) -> str:
    match effect:
        case engine.RecordConsent(given=given):
            return f"consent {'yes' if given else 'no'}"
        case engine.RecordAnswer(question_id=question, value=value):
            return f"answer {question}={value}"
        case engine.RecordComment(text=text, is_complaint=complaint):
            return f"{'complaint' if complaint else 'comment'} {text}"
        case engine.Complete():
            return "complete"
    raise AssertionError(effect)


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_scenario(path: Path) -> None:
    scenario = tomllib.loads(path.read_text(encoding="utf-8"))
    flow = load_flow_file(FLOWS / f"{scenario['flow']}.toml")
    state = State(Phase(scenario["start_at"]), 0, {}, scenario["locale"])
    for number, expected in enumerate(scenario["steps"], start=1):
        step = engine.step(flow, state, _event(expected["event"]))
        where = f"{path.name} step {number}"
        assert step.state.phase.value == expected["phase"], where
        prompt = [m for m in step.messages if isinstance(m, Message) and m.prompt_id]
        assert prompt and prompt[-1].prompt_id == expected["prompt"], where
        texts = [m.text for m in step.messages if isinstance(m, Message | AnswerEcho)]
        position = 0
        for wanted in expected["texts"]:
            found = [i for i, t in enumerate(texts) if i >= position and wanted in t]
            assert found, f"{where}: {wanted!r} not in {texts[position:]}"
            position = found[0]
        assert [_effect(e) for e in step.effects] == expected["effects"], where
        state = step.state
