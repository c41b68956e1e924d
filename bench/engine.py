"""The flow engine alone: pure steps per second (no I/O), the floor under every channel."""

from __future__ import annotations

import time

from bench.product import ROOT
from bench.results import Section
from flows import engine
from flows.engine import CONSENT, Choose
from flows.loader import load_flow_file


def bench_engine(rounds: int) -> Section:
    flow = load_flow_file(ROOT / "flows" / "data" / "mau01.toml")
    started = time.perf_counter()
    steps = 0
    for _ in range(rounds):
        state = engine.step(flow, engine.initial_state(), Choose(CONSENT, "yes")).state
        for question in flow.questions:
            state = engine.step(flow, state, Choose(question.id, "4")).state
            steps += 1
    elapsed = time.perf_counter() - started
    section = Section("Flow engine")
    section.add("engine steps per second", f"{steps / elapsed:,.0f}/s ({rounds} surveys)")
    return section
