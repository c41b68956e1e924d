"""``python -m bench`` is not a test (speed is measured, never asserted); this only proves its
smallest part runs and that a run's results become the RESULTS.md table."""

from __future__ import annotations

from bench.engine import bench_engine
from bench.machine import describe
from bench.results import Section, markdown


def test_the_engine_bench_runs_and_its_figures_reach_the_results_file() -> None:
    section = bench_engine(rounds=2)
    goal = Section("Goals")
    goal.add("a goal", "3 ms", "≤ 5 ms", True)
    goal.note("cause: none")
    text = markdown([section, goal], describe())
    assert "| Flow engine | engine steps per second |" in text
    assert "| Goals | a goal | 3 ms | ≤ 5 ms | met |" in text
    assert "| Python |" in text and "## Goals" in text
    assert "| CPU speed at start |" in text and "M loop steps/s" in text
