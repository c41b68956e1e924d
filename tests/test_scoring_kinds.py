"""Scoring declared per flow for the new question kinds: N/A choices leave the denominator,
per-choice `satisfied` (a "No" that is good news), factors whose questions nobody was shown,
and the distributions of unscored questions (multiple choice, numbers, skips)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from flows.loader import load_flow_file
from flows.model import SKIPPED, mask_of
from flows.scoring import answer_distributions, distributions_from_responses, score

DATA = Path(__file__).parent.parent / "flows" / "data"
MAU01 = load_flow_file(DATA / "mau01.toml")
QD1001 = load_flow_file(DATA / "qd1001.toml")


def test_no_fee_payable_is_left_out_of_criterion_2_4() -> None:
    """2.4 answered 5, 2 and twice "Không phải nộp phí" (0): 1 of 2 valid -> 50 %."""
    criterion = score(MAU01, {"2.4": Counter({5: 1, 2: 1, 0: 2})}).criterion("2.4")
    assert (criterion.valid, criterion.not_applicable, criterion.index) == (2, 2, 50.0)
    assert criterion.mean == 3.5


def test_a_no_that_counts_as_satisfied_and_a_yes_that_does() -> None:
    """'Did an official cause trouble?' 3 x No (2, satisfied), 1 x Yes -> 75 %; the
    receipt question's Yes (1) is satisfied: 1 of 2 -> 50 %. Yes/no has no mean."""
    scores = score(QD1001, {"no_harassment": Counter({2: 3, 1: 1}), "fee_receipt": {1: 1, 2: 1}})
    assert scores.criterion("no_harassment").index == 75.0
    assert scores.criterion("no_harassment").mean is None
    assert scores.criterion("fee_receipt").index == 50.0


def test_a_factor_nobody_was_shown_has_no_index_and_is_left_out_of_the_overall() -> None:
    """Nobody filed online: F3 (the online block) has no index; the overall index is the
    mean of the factors that have one (SIPAS rule)."""
    answers = [
        {"filed": 1, "info": 5, "documents": 4, "fee_paid": 2, "on_time": 4, "polite": 5,
         "guidance": 4, "no_harassment": 2, "result": 4, "gave_feedback": 1,
         "feedback_handled": 2},
        {"filed": 1, "info": 2, "documents": 4, "fee_paid": 2, "on_time": 2, "polite": 5,
         "guidance": 4, "no_harassment": 2, "result": 4, "gave_feedback": 2},
    ]  # fmt: skip
    scores = score(QD1001, distributions_from_responses(answers))
    assert scores.factor("F3").index is None
    assert scores.factor("F1").index == 50.0  # info: 5 and 2
    assert scores.factor("F2").index == 75.0  # documents 100, on_time 50 (no fee questions)
    assert scores.factor("F6").index == 0.0  # one respondent gave feedback: rated 2
    assert scores.overall == (50.0 + 75.0 + 100.0 + 100.0 + 0.0) / 5


def test_distributions_of_unscored_questions() -> None:
    """Multiple choice counts each ticked choice; a number counts each value; skips apart."""
    answers = [
        {"filed": 2, "improve": mask_of([1, 3]), "visits": 2, "age": 3},
        {"filed": 1, "improve": mask_of([3]), "visits": SKIPPED, "age": SKIPPED},
        {"filed": 1, "improve": SKIPPED, "visits": 2},
    ]
    found = {
        d.question_id: d
        for d in answer_distributions(QD1001, distributions_from_responses(answers))
    }
    assert "info" not in found  # scored questions have their criterion scores instead
    assert found["filed"].counts == {1: 2, 2: 1, 3: 0}
    improve = found["improve"]
    assert (improve.answered, improve.skipped) == (2, 1)
    assert improve.counts == {1: 1, 2: 0, 3: 2, 4: 0, 5: 0, 6: 0}
    assert (found["visits"].counts, found["visits"].skipped) == ({2: 2}, 1)
    assert (found["age"].answered, found["age"].skipped, found["age"].counts[3]) == (1, 1, 1)
