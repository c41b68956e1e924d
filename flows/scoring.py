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


@dataclass(frozen=True)
class QuestionRule:
    """What scoring needs of one question, worked out once per flow: its choices' values,
    the "no opinion" ones, the satisfied ones, and whether a mean is shown."""

    question: Question
    values: tuple[int, ...]  # every choice's value, in the choice set's order
    known: frozenset[int]
    not_applicable: frozenset[int]
    satisfied: frozenset[int]
    has_mean: bool


@dataclass(frozen=True)
class FlowRules:
    """A flow's scoring rules per question and per factor (``rules_of``)."""

    by_factor: tuple[tuple[str, float, tuple[QuestionRule, ...]], ...]  # id, weight, criteria
    by_question: Mapping[str, QuestionRule]
    weighted: bool


def _rule(flow: Flow, question: Question) -> QuestionRule:
    choices = question.choice_set.choices
    return QuestionRule(
        question=question,
        values=tuple(c.value for c in choices),
        known=frozenset(c.value for c in choices),
        not_applicable=frozenset(c.value for c in choices if c.not_applicable),
        satisfied=question.satisfied_values(flow.scoring.satisfied),
        has_mean=question.kind == "scale5",
    )


_RULES: dict[int, tuple[Flow, FlowRules]] = {}
_RULES_KEPT = 256  # flows are parsed once per version and process: a few dozen at most


def rules_of(flow: Flow) -> FlowRules:
    """The flow's rules, worked out once per flow object (flows are immutable; the cache
    holds the flow itself, so its id cannot be reused while the entry lives)."""
    found = _RULES.get(id(flow))
    if found is not None and found[0] is flow:
        return found[1]
    by_question = {q.id: _rule(flow, q) for q in flow.questions}
    rules = FlowRules(
        by_factor=tuple(
            (f.id, f.weight, tuple(by_question[q.id] for q in flow.questions_of(f.id)))
            for f in flow.factors
        ),
        by_question=by_question,
        weighted=flow.scoring.overall_rollup == "weighted_mean",
    )
    if len(_RULES) >= _RULES_KEPT:
        _RULES.pop(next(iter(_RULES)))
    _RULES[id(flow)] = (flow, rules)
    return rules


def _tallied(rule: QuestionRule, distribution: Distribution) -> tuple[int, int, int, int]:
    """A criterion's (valid, satisfied, level-weighted sum, "no opinion") answers: what its
    index and mean are made of."""
    na_values, known, levels = rule.not_applicable, rule.known, rule.satisfied
    valid = satisfied = weighted = not_applicable = 0
    for v, n in distribution.items():
        if v in na_values:
            not_applicable += n
        elif v in known and n > 0:
            valid += n
            weighted += v * n
            if v in levels:
                satisfied += n
    return valid, satisfied, weighted, not_applicable


def score_criterion(rule: QuestionRule, distribution: Distribution) -> CriterionScore:
    """One criterion's index, mean and counts from its level counts."""
    valid, satisfied, weighted, not_applicable = _tallied(rule, distribution)
    question = rule.question
    return CriterionScore(
        question_id=question.id,
        factor_id=question.factor,
        valid=valid,
        not_applicable=not_applicable,
        satisfied=satisfied,
        index=100.0 * satisfied / valid if valid else None,
        mean=weighted / valid if valid and rule.has_mean else None,
        distribution={v: distribution.get(v, 0) for v in rule.values},
    )


def _index_and_mean(
    rule: QuestionRule, distribution: Distribution
) -> tuple[float | None, float | None]:
    """A criterion's index and mean alone, as ``score_criterion`` computes them."""
    valid, satisfied, weighted, _ = _tallied(rule, distribution)
    if not valid:
        return None, None
    return 100.0 * satisfied / valid, weighted / valid if rule.has_mean else None


def score(
    flow: Flow, distributions: Mapping[str, Distribution], *, criteria: bool = True
) -> Scores:
    """Criterion, factor and overall indices for per-question level counts.

    ``criteria=False`` computes the factor and overall indices (and means) alone, with the
    same arithmetic, and leaves each factor's ``criteria`` empty: a trend over many units
    and periods shows no criterion, and building each one's figures was most of its cost.
    """
    rules = rules_of(flow)
    factors: list[FactorScore] = []
    rated: list[tuple[float, float]] = []  # (factor index, weight)
    for factor_id, weight, criteria_rules in rules.by_factor:
        if criteria:
            scored = tuple(
                score_criterion(rule, distributions.get(rule.question.id, {}))
                for rule in criteria_rules
            )
            pairs = [(c.index, c.mean) for c in scored]
        else:
            scored = ()
            pairs = [
                _index_and_mean(rule, distributions.get(rule.question.id, {}))
                for rule in criteria_rules
            ]
        indices = [i for i, _ in pairs if i is not None]
        means = [m for _, m in pairs if m is not None]
        index = _mean(indices)
        factors.append(FactorScore(factor_id, index, _mean(means), scored))
        if index is not None:
            rated.append((index, weight))
    weights = [w for _, w in rated] if rules.weighted else None
    overall = _mean([i for i, _ in rated], weights)
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
