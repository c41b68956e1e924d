"""SIPAS indices from level distributions, by the flow's own scoring rule.

Scores are computed from per-question level counts (not raw responses) so that the same code
serves a recomputation from raw answers and the per-unit counters that keep digests cheap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from flows.model import SKIPPED, Flow, Question, ticked

Distribution = Mapping[int, int]  # level value -> number of answers


@dataclass(frozen=True)
class CriterionScore:
    question_id: str
    factor_id: str
    valid: int  # answers that count (not "no opinion")
    not_applicable: int
    satisfied: int
    index: float | None  # percent, None when there is no valid answer
    mean: float | None
    distribution: Mapping[int, int]


@dataclass(frozen=True)
class FactorScore:
    factor_id: str
    index: float | None
    mean: float | None
    criteria: tuple[CriterionScore, ...]


@dataclass(frozen=True)
class Scores:
    overall: float | None
    factors: tuple[FactorScore, ...]

    def criteria(self) -> tuple[CriterionScore, ...]:
        return tuple(c for f in self.factors for c in f.criteria)

    def factor(self, factor_id: str) -> FactorScore:
        return next(f for f in self.factors if f.factor_id == factor_id)

    def criterion(self, question_id: str) -> CriterionScore:
        return next(c for c in self.criteria() if c.question_id == question_id)


def _mean(values: list[float], weights: list[float] | None = None) -> float | None:
    if not values:
        return None
    weights = weights or [1.0] * len(values)
    return sum(v * w for v, w in zip(values, weights, strict=True)) / sum(weights)


def score_criterion(flow: Flow, question: Question, distribution: Distribution) -> CriterionScore:
    na_values = {c.value for c in question.choice_set.choices if c.not_applicable}
    known = {c.value for c in question.choice_set.choices}
    valid_counts = {
        v: n for v, n in distribution.items() if v in known and v not in na_values and n > 0
    }
    valid = sum(valid_counts.values())
    levels = question.satisfied_values(flow.scoring.satisfied)
    satisfied = sum(n for v, n in valid_counts.items() if v in levels)
    has_mean = question.kind == "scale5"
    return CriterionScore(
        question_id=question.id,
        factor_id=question.factor,
        valid=valid,
        not_applicable=sum(n for v, n in distribution.items() if v in na_values),
        satisfied=satisfied,
        index=100.0 * satisfied / valid if valid else None,
        mean=sum(v * n for v, n in valid_counts.items()) / valid if valid and has_mean else None,
        distribution={c.value: distribution.get(c.value, 0) for c in question.choice_set.choices},
    )


def score(flow: Flow, distributions: Mapping[str, Distribution]) -> Scores:
    """Criterion, factor and overall indices for per-question level counts."""
    factors: list[FactorScore] = []
    for factor in flow.factors:
        criteria = tuple(
            score_criterion(flow, q, distributions.get(q.id, {}))
            for q in flow.questions_of(factor.id)
        )
        indices = [c.index for c in criteria if c.index is not None]
        means = [c.mean for c in criteria if c.mean is not None]
        factors.append(FactorScore(factor.id, _mean(indices), _mean(means), criteria))
    rated = [(f, flow.factor(f.factor_id).weight) for f in factors if f.index is not None]
    weights = [w for _, w in rated] if flow.scoring.overall_rollup == "weighted_mean" else None
    overall = _mean([f.index for f, _ in rated if f.index is not None], weights)
    return Scores(overall, tuple(factors))


def distributions_from_responses(
    responses: Iterable[Mapping[str, int]],
) -> dict[str, Counter[int]]:
    """Per-question level counts from raw responses (question id -> value)."""
    result: dict[str, Counter[int]] = {}
    for answers in responses:
        for question_id, value in answers.items():
            result.setdefault(question_id, Counter())[value] += 1
    return result


def combine(*parts: Mapping[str, Distribution]) -> dict[str, Counter[int]]:
    """Add several distributions (e.g. weeks, or child units) together."""
    total: dict[str, Counter[int]] = {}
    for part in parts:
        for question_id, counts in part.items():
            total.setdefault(question_id, Counter()).update(counts)
    return total


@dataclass(frozen=True)
class AnswerDistribution:
    """How a question was answered, for any kind (scored or not): what reports show for
    unscored questions and the profile block.

    ``counts``: choice value -> respondents who chose (multiple choice: who ticked) it;
    for a number, the number -> respondents; for a short text, {1: respondents who wrote}.
    """

    question_id: str
    kind: str
    answered: int  # respondents who gave an answer (not skipped)
    skipped: int
    counts: Mapping[int, int]


def answer_distribution(question: Question, distribution: Distribution) -> AnswerDistribution:
    """The per-choice (or per-number) counts of ``question`` from its stored level counts."""
    skipped = distribution.get(SKIPPED, 0)
    given = {v: n for v, n in distribution.items() if v != SKIPPED and n > 0}
    counts: Counter[int] = Counter()
    if question.kind == "multi":
        counts.update({c.value: 0 for c in question.choice_set.choices})
        for mask, n in given.items():
            for value in ticked(mask):
                counts[value] += n
    elif question.has_choices:
        counts.update({c.value: given.get(c.value, 0) for c in question.choice_set.choices})
    else:
        counts.update(given)
    return AnswerDistribution(
        question.id, question.kind, sum(given.values()), skipped, dict(sorted(counts.items()))
    )


def answer_distributions(
    flow: Flow, distributions: Mapping[str, Distribution], *, unscored_only: bool = True
) -> tuple[AnswerDistribution, ...]:
    """Every (unscored) question's distribution, in flow order."""
    return tuple(
        answer_distribution(q, distributions.get(q.id, {}))
        for q in flow.questions
        if not (unscored_only and q.scored)
    )
