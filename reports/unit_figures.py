"""A unit's figures for a span of days, read from the counters: criteria, factors and SIPAS,
each with n and a 95 % interval over respondents (``reports.estimates``).

A unit without children is scored from its own counters by the flow's rule. A unit with
children is the volume-weighted combination of its parts (each child's figures, computed the
same way, and the unit's own responses if it has any), never a pooled average of everyone's
answers: a commune with 40 responses and 5,000 dossiers a year weighs more than one with 400
responses and 200 dossiers. Weights are the parts' annual dossiers when every part has them,
else the parts' counted responses (docs/statistics.md).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from flows.model import Flow
from flows.scoring import combine as combine_distributions
from flows.scoring import rules_of, score
from reports.estimates import NOTHING, Estimate, combine, over_respondents, weighted_mean, wilson
from storage.models import Unit
from storage.repos.counters import DESK_FORM, SIPAS
from storage.repos.tallies import Sums, Tally

FlowLookup = Callable[[AsyncSession, int], Awaitable[Flow]]


@dataclass(frozen=True)
class CriterionFigure:
    id: str
    factor: str
    estimate: Estimate  # n = respondents who gave a level (not "no opinion")
    mean: float | None
    levels: Mapping[int, int]  # people per level, "no opinion" excluded
    not_applicable: int


@dataclass(frozen=True)
class FactorFigure:
    id: str
    estimate: Estimate
    mean: float | None


@dataclass(frozen=True)
class UnitFigures:
    flow: Flow | None
    version_id: int | None
    sipas: Estimate = NOTHING
    factors: tuple[FactorFigure, ...] = ()
    criteria: tuple[CriterionFigure, ...] = ()
    counted: int = 0
    started: int = 0
    comments: int = 0
    complaints: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    respondents: Counter[int] = field(default_factory=Counter)  # per flow version

    def factor(self, factor_id: str) -> FactorFigure | None:
        return next((f for f in self.factors if f.id == factor_id), None)

    def criterion(self, question_id: str) -> CriterionFigure | None:
        return next((c for c in self.criteria if c.id == question_id), None)

    def unanswered(self) -> list[str]:
        """Criteria nobody gave a level: null, named, never counted as zero."""
        return [c.id for c in self.criteria if c.estimate.value is None]

    def levels(self) -> Counter[int]:
        """People per level over all criteria (answers; "no opinion" under its own value)."""
        total: Counter[int] = Counter()
        for criterion in self.criteria:
            total.update(criterion.levels)
        return total


def main_version(respondents: Counter[int]) -> int | None:
    """The flow version most respondents answered (the newest on a tie)."""
    if not respondents:
        return None
    return max(respondents, key=lambda version: (respondents[version], version))


def _counts(
    tally: Tally,
    flow: Flow | None,
    version: int | None,
    respondents: Counter[int] | None = None,
    **scored: Any,
) -> UnitFigures:
    """The unit's counts, with whatever ``scored`` figures there are (one construction:
    a province's trend builds a thousand of these)."""
    return UnitFigures(
        flow=flow,
        version_id=version,
        counted=tally.stats["completed"],
        started=tally.stats["started"],
        comments=tally.stats["comments"],
        complaints=tally.stats["complaints"],
        by_source=Counter(tally.by_source),
        respondents=tally.respondents() if respondents is None else respondents,
        **scored,
    )


async def without_desk_ratings(session: AsyncSession, tally: Tally, flows: FlowLookup) -> Tally:
    """The unit's survey responses only: desk ratings (a QR code at a counter, form "desk")
    are another survey and never enter the SIPAS figures, unless the unit has nothing else.
    The counters keep them apart already (their own flow versions, source "desk")."""
    versions = set(tally.distributions) | set(tally.sums)
    desk = {v for v in versions if (await flows(session, v)).form == DESK_FORM}
    if not desk or desk == versions:
        return tally
    kept = Tally(
        distributions={v: d for v, d in tally.distributions.items() if v not in desk},
        sums={v: m for v, m in tally.sums.items() if v not in desk},
        stats=Counter(tally.stats),
        by_source=Counter(tally.by_source),
    )
    kept.stats["completed"] -= kept.by_source.pop(DESK_FORM, 0)
    return kept


async def leaf(
    session: AsyncSession, tally: Tally, flows: FlowLookup, *, criteria: bool = True
) -> UnitFigures:
    """One unit's own responses, scored with the flow most of them answered (versions of a
    flow share question ids, so their counts merge by id). ``criteria=False`` leaves the
    per-criterion figures out (a trend shows SIPAS and factors only)."""
    tally = await without_desk_ratings(session, tally, flows)
    respondents = tally.respondents()
    version = main_version(respondents) or (max(tally.distributions, default=None))
    if version is None:
        return _counts(tally, None, None, respondents)
    flow = await flows(session, version)
    parts = list(tally.distributions.values())
    # One version (the usual case): its counts as they are; several: added up by question.
    counts = parts[0] if len(parts) == 1 else combine_distributions(*parts)
    scores = score(flow, counts, criteria=criteria)
    rules = rules_of(flow).by_question
    if len(tally.sums) == 1:
        sums = next(iter(tally.sums.values()))  # read only
    else:
        sums = {}
        for measures in tally.sums.values():
            for measure, part in measures.items():
                sums.setdefault(measure, Sums()).add(part.n, part.total, part.squares)

    def spread(measure: str, value: float | None) -> Estimate:
        found = sums.get(measure)
        if found is None:
            return over_respondents(value, 0, 0.0, 0.0)
        return over_respondents(value, found.n, found.total, found.squares)

    found: list[CriterionFigure] = []
    for factor in scores.factors if criteria else ():
        for c in factor.criteria:
            na = rules[c.question_id].not_applicable
            levels = {v: n for v, n in c.distribution.items() if v not in na}
            found.append(
                CriterionFigure(
                    c.question_id,
                    c.factor_id,
                    wilson(c.satisfied, c.valid),
                    c.mean,
                    levels,
                    c.not_applicable,
                )
            )
    return _counts(
        tally,
        flow,
        version,
        respondents,
        sipas=spread(SIPAS, scores.overall),
        factors=tuple(
            FactorFigure(f.factor_id, spread(f.factor_id, f.index), f.mean) for f in scores.factors
        ),
        criteria=tuple(found),
    )


def weights(parts: Sequence[tuple[Unit | None, UnitFigures]]) -> list[float]:
    """Annual dossiers of every part when all are known (the unit's own responses have none
    of their own), else counted responses."""
    annual = [unit.annual_dossiers if unit is not None else None for unit, _ in parts]
    if all(a is not None and a > 0 for a in annual):
        return [float(a) for a in annual]  # type: ignore[arg-type]
    return [float(figures.counted) for _, figures in parts]


def combined(
    parts: Sequence[tuple[Unit | None, UnitFigures]], flow: Flow | None, *, criteria: bool = True
) -> UnitFigures:
    """The volume-weighted combination of parts, labelled by ``flow`` (the main flow);
    ``criteria=False`` combines SIPAS and the factors only."""
    ws = weights(parts)
    figures = [f for _, f in parts]
    respondents: Counter[int] = Counter()
    by_source: Counter[str] = Counter()
    for part in figures:
        respondents.update(part.respondents)
        by_source.update(part.by_source)
    combined_criteria: list[CriterionFigure] = []
    factors: list[FactorFigure] = []
    by_id = [{c.id: c for c in f.criteria} for f in figures] if criteria else []
    for question in flow.questions if flow is not None and criteria else ():
        found = [(w, part.get(question.id)) for w, part in zip(ws, by_id, strict=True)]
        present = [(w, c) for w, c in found if c is not None]
        levels: dict[int, int] = {}
        for _, c in present:
            for value, count in c.levels.items():
                levels[value] = levels.get(value, 0) + count
        combined_criteria.append(
            CriterionFigure(
                question.id,
                question.factor,
                combine([(w, c.estimate) for w, c in present]),
                weighted_mean([(w, c.mean) for w, c in present]),
                {v: levels.get(v, 0) for v in sorted(set(levels) | _scale(present))},
                sum(c.not_applicable for _, c in present),
            )
        )
    for factor in flow.factors if flow is not None else ():
        found_f = [(w, f.factor(factor.id)) for w, f in zip(ws, figures, strict=True)]
        present_f = [(w, x) for w, x in found_f if x is not None]
        factors.append(
            FactorFigure(
                factor.id,
                combine([(w, x.estimate) for w, x in present_f]),
                weighted_mean([(w, x.mean) for w, x in present_f]),
            )
        )
    return UnitFigures(
        flow=flow,
        version_id=main_version(respondents),
        sipas=combine([(w, f.sipas) for w, f in zip(ws, figures, strict=True)]),
        factors=tuple(factors),
        criteria=tuple(combined_criteria),
        counted=sum(f.counted for f in figures),
        started=sum(f.started for f in figures),
        comments=sum(f.comments for f in figures),
        complaints=sum(f.complaints for f in figures),
        by_source=by_source,
        respondents=respondents,
    )


def _scale(present: Sequence[tuple[float, CriterionFigure]]) -> set[int]:
    return {v for _, c in present for v in c.levels}


class Tree:
    """Figures of a unit and of every unit below it, from one read of the counters."""

    def __init__(
        self,
        session: AsyncSession,
        everyone: Sequence[Unit],
        tallies: Mapping[int, Tally],
        flows: FlowLookup,
    ) -> None:
        self.session = session
        self.tallies = tallies
        self.flows = flows
        self.children: dict[int | None, list[Unit]] = {}
        for unit in everyone:
            self.children.setdefault(unit.parent_id, []).append(unit)
        self._done: dict[tuple[int, bool], UnitFigures] = {}

    async def figures(self, unit: Unit, *, criteria: bool = True) -> UnitFigures:
        """The unit's figures, scored once per tree; ``criteria=False`` (SIPAS and factors
        only, what a trend shows) is served by full figures when those exist already."""
        for key in ((unit.id, True), (unit.id, criteria)):
            if key in self._done:
                return self._done[key]
        found = self._done[(unit.id, criteria)] = await self._compute(unit, criteria)
        return found

    async def _compute(self, unit: Unit, criteria: bool) -> UnitFigures:
        tally = self.tallies.get(unit.id, Tally())
        own = await leaf(self.session, tally, self.flows, criteria=criteria)
        children = self.children.get(unit.id, [])
        if not children:
            return own
        parts: list[tuple[Unit | None, UnitFigures]] = [
            (child, await self.figures(child, criteria=criteria)) for child in children
        ]
        if own.counted:
            parts.append((None, own))
        everything = Counter[int]()
        for _, f in parts:
            everything.update(f.respondents)
        version = main_version(everything)
        flow = await self.flows(self.session, version) if version is not None else None
        return combined(parts, flow, criteria=criteria)
