"""Runs the respondent scenarios in tests/scenarios/*.toml against the pure engine: each file
documents one rule of flows/engine.py by example (see tests/scenarios/README.md)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from flows import engine
from flows.engine import Phase, State
from flows.loader import load_flow_file
from flows.model import Flow
from tests.support.scenario_files import SCENARIOS, Raw, check_step, effect_line, event_of, read

FILES = sorted(SCENARIOS.glob("*.toml"))
FLOWS = Path(__file__).parent.parent / "flows" / "data"


def _flow(scenario: Raw) -> Flow:
    """The named product flow, with the scenario's ``closing`` changes if it has any."""
    flow = load_flow_file(FLOWS / f"{scenario['flow']}.toml")
    if "closing" in scenario:
        flow = replace(flow, closing=replace(flow.closing, **scenario["closing"]))
    return flow


def _state(flow: Flow, scenario: Raw) -> State:
    """Where the respondent is before step 1: ``start_at``, ``question``, ``answers``."""
    position = 0
    if "question" in scenario:
        found = flow.question_index(scenario["question"])
        assert found is not None, f"no question {scenario['question']!r} in {flow.key}"
        position = found
    answers = {str(k): int(v) for k, v in scenario.get("answers", {}).items()}
    return State(Phase(scenario["start_at"]), position, answers, scenario["locale"])


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_scenario(path: Path) -> None:
    scenario = read(path)
    flow = _flow(scenario)
    state = _state(flow, scenario)
    for number, expected in enumerate(scenario["steps"], start=1):
        step = engine.step(flow, state, event_of(expected["event"]))
        where = f"{path.name} step {number}"
        assert step.state.phase.value == expected["phase"], where
        check_step(expected, step.messages, where)
        assert [effect_line(e) for e in step.effects] == expected["effects"], where
        state = step.state


def test_every_phase_is_visited_by_some_scenario() -> None:
    """A guard for the documentation: a new phase in the engine needs a scenario too."""
    visited = {read(p)["start_at"] for p in FILES}
    visited |= {step["phase"] for p in FILES for step in read(p)["steps"]}
    assert visited == {phase.value for phase in Phase}
