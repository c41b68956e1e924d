"""SIPAS indices by the flow's rule, including the worked example of sipas.md."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flows.loader import load_flow_file, parse_flow
from flows.model import Flow, Question
from flows.scoring import combine, distributions_from_responses, score

MAU01 = load_flow_file(Path(__file__).parent.parent / "flows" / "data" / "mau01.toml")


def test_worked_example_criterion() -> None:
    """4 responses answer 3.1 with 5, 4, 3, 2 -> index 50.0 %, mean 3.50."""
    scores = score(MAU01, {"3.1": Counter({5: 1, 4: 1, 3: 1, 2: 1})})
    criterion = scores.criterion("3.1")
    assert criterion.index == 50.0
    assert criterion.mean == 3.5
    assert criterion.valid == 4
    assert criterion.distribution == {1: 0, 2: 1, 3: 1, 4: 1, 5: 1}


def _answers_for_index(index: float) -> Counter[int]:
    """Four answers whose criterion index is ``index`` (a multiple of 25)."""
    satisfied = int(index / 25)
    return Counter({5: satisfied, 2: 4 - satisfied}) if satisfied < 4 else Counter({5: 4})


def test_worked_example_factor() -> None:
    """Factor 3's criteria at 50, 75, 100, 100, 75, 50 -> 75.0 %."""
    targets = dict(
        zip(["3.1", "3.2", "3.3", "3.4", "3.5", "3.6"], [50, 75, 100, 100, 75, 50], strict=True)
    )
    scores = score(MAU01, {q: _answers_for_index(i) for q, i in targets.items()})
    assert [c.index for c in scores.factor("F3").criteria] == [50, 75, 100, 100, 75, 50]
    assert scores.factor("F3").index == 75.0


def test_worked_example_overall() -> None:
    """Factor indices 80, 75, 75, 90, 60 -> SIPAS 76.0 %."""
    wanted = {"F1": 80.0, "F2": 75.0, "F3": 75.0, "F4": 90.0, "F5": 60.0}
    distributions: dict[str, Counter[int]] = {}
    for factor, index in wanted.items():
        # twenty answers per criterion, index/5 of them satisfied
        satisfied = int(index / 5)
        for question in MAU01.questions_of(factor):
            distributions[question.id] = Counter({4: satisfied, 3: 20 - satisfied})
    scores = score(MAU01, distributions)
    assert {f.factor_id: f.index for f in scores.factors} == wanted
    assert scores.overall == pytest.approx(76.0)


def test_no_opinion_is_excluded_from_the_denominator() -> None:
    scores = score(MAU01, {"5.1": Counter({0: 6, 5: 1, 1: 1})})
    criterion = scores.criterion("5.1")
    assert (criterion.valid, criterion.not_applicable) == (2, 6)
    assert criterion.index == 50.0
    assert criterion.mean == 3.0


def test_no_answers_give_no_index_rather_than_zero() -> None:
    scores = score(MAU01, {})
    assert scores.overall is None
    assert all(f.index is None for f in scores.factors)


def test_responses_and_counts_agree() -> None:
    responses = [{"1.1": 5, "1.2": 4}, {"1.1": 2, "1.2": 4}, {"1.1": 4}]
    distributions = distributions_from_responses(responses)
    assert distributions == {"1.1": Counter({5: 1, 2: 1, 4: 1}), "1.2": Counter({4: 2})}
    assert combine(distributions, distributions)["1.2"] == Counter({4: 4})
    assert score(MAU01, distributions).criterion("1.1").index == pytest.approx(200 / 3)


def test_weighted_overall_and_other_satisfied_levels_come_from_the_flow() -> None:
    source = (Path(__file__).parent.parent / "flows" / "data" / "mau01.toml").read_text("utf-8")
    source = source.replace("satisfied = [4, 5]", "satisfied = [5]")
    source = source.replace('overall = "mean"', 'overall = "weighted_mean"')
    source = source.replace(
        'id = "F1"\nname = { vi = "Tiếp cận dịch vụ hành chính công", '
        'en = "Access to the public administrative service" }\nweight = 1.0',
        'id = "F1"\nname = { vi = "Tiếp cận dịch vụ hành chính công", '
        'en = "Access to the public administrative service" }\nweight = 3.0',
    )
    flow = parse_flow(source)
    distributions = {"1.1": Counter({5: 1}), "2.1": Counter({4: 1})}
    scores = score(flow, distributions)
    assert scores.factor("F1").index == 100.0
    assert scores.factor("F2").index == 0.0  # 4 is not "satisfied" under this rule
    assert scores.overall == pytest.approx(75.0)  # (100*3 + 0*1) / 4


QD1001 = load_flow_file(Path(__file__).parent.parent / "flows" / "data" / "qd1001.toml")


def _values(question: Question) -> list[int]:
    return [c.value for c in question.choice_set.choices] if question.has_choices else [0, 1]


@settings(max_examples=200, deadline=None)
@given(data=st.data(), flow=st.sampled_from([MAU01, QD1001]))
def test_indices_without_criteria_equal_the_full_scoring(data: st.DataObject, flow: Flow) -> None:
    """``score(criteria=False)`` (what a trend uses) gives the very same factor and overall
    indices and means as the full scoring, to the last bit, on any level counts."""
    distributions = {
        q.id: Counter(
            data.draw(
                st.dictionaries(
                    st.sampled_from([*_values(q), 9, 40]),
                    st.integers(-1, 30),
                    max_size=6,
                )
            )
        )
        for q in flow.questions
        if data.draw(st.booleans())
    }
    full, light = score(flow, distributions), score(flow, distributions, criteria=False)
    assert light.overall == full.overall
    assert [(f.factor_id, f.index, f.mean) for f in light.factors] == [
        (f.factor_id, f.index, f.mean) for f in full.factors
    ]
    assert all(f.criteria == () for f in light.factors)
