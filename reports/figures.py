"""The numbers of a digest, read from per-unit counters (never from raw answers), so a digest
costs the same for 50 or 500,000 responses.

Versions of one flow share question ids, so their counts are merged by question id and scored
with the newest version's flow (its wording, factors and scoring rule).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from flows.model import Flow
from flows.scoring import Scores, combine, score
from reports.weeks import shift, year_weeks
from storage.models import Unit
from storage.repos import counters, surveys, units

FlowLookup = Callable[[AsyncSession, int], Awaitable[Flow]]
DESK_FORM = "desk"  # flows.model's form of a desk's quick rating


@dataclass(frozen=True)
class Scored:
    flow: Flow
    scores: Scores
    levels: Counter[int]  # answers per level over all criteria


@dataclass(frozen=True)
class Feedback:
    text: str
    is_complaint: bool


@dataclass(frozen=True)
class Ranked:
    unit: Unit
    completed: int
    overall: float | None


@dataclass(frozen=True)
class Figures:
    """Everything a digest shows for a scope (a unit and its descendants) and a week."""

    units: tuple[Unit, ...]
    iso_week: str
    completed_week: int
    completed_year: int
    started_year: int
    minimum: int | None
    flagged: int
    comments: int
    complaints: int
    week: Scored | None
    previous: Scored | None
    year: Scored | None
    feedback: tuple[Feedback, ...] = ()
    ranking: tuple[Ranked, ...] = field(default_factory=tuple)

    @property
    def completion_rate(self) -> float | None:
        if not self.started_year:
            return None
        return 100.0 * min(self.completed_year, self.started_year) / self.started_year


async def scored(session: AsyncSession, tally: counters.Tally, flows: FlowLookup) -> Scored | None:
    """Scores of a tally, the versions of the survey's form merged; None when nothing was
    answered. Desk ratings (form "desk", a QR code at a counter) are a different survey: they
    never enter the SIPAS figures, unless a unit has nothing else."""
    versions = sorted(v for v, dist in tally.distributions.items() if dist)
    if not versions:
        return None
    by_version = {v: await flows(session, v) for v in versions}
    surveys = [v for v in versions if by_version[v].form != DESK_FORM] or versions
    flow = by_version[surveys[-1]]
    merged = combine(*(tally.distributions[v] for v in versions if by_version[v].form == flow.form))
    levels: Counter[int] = Counter()
    known = {q.id for q in flow.questions}
    for question_id, counts in merged.items():
        if question_id in known:
            levels.update(counts)
    return Scored(flow, score(flow, merged), levels)


def scope_of(unit: Unit, everyone: Sequence[Unit]) -> list[Unit]:
    """The unit and all units under it."""
    return [unit, *units.below(unit.id, everyone)]


def minimum_of(scope: Sequence[Unit]) -> int | None:
    minima = [units.minimum_sample(u.annual_dossiers, u.quota) for u in scope]
    known = [m for m in minima if m is not None]
    return sum(known) if known else None


async def figures(session: AsyncSession, unit: Unit, iso_week: str, flows: FlowLookup) -> Figures:
    everyone = await units.all_units(session)
    scope = scope_of(unit, everyone)
    ids = [u.id for u in scope]
    week = await counters.tally(session, ids, [iso_week])
    previous = await counters.tally(session, ids, [shift(iso_week, -1)])
    year = await counters.tally(session, ids, year_weeks(iso_week))
    comments = await surveys.comments_completed_in(session, ids, [iso_week])
    ranking: list[Ranked] = []
    for child in sorted((u for u in everyone if u.parent_id == unit.id), key=lambda u: u.code):
        child_ids = [u.id for u in scope_of(child, everyone)]
        child_tally = await counters.tally(session, child_ids, [iso_week])
        child_scored = await scored(session, child_tally, flows)
        overall = child_scored.scores.overall if child_scored else None
        ranking.append(Ranked(child, child_tally.stats["completed"], overall))
    ranking.sort(key=lambda r: (r.overall is None, -(r.overall or 0.0), r.unit.code))
    return Figures(
        units=tuple(scope),
        iso_week=iso_week,
        completed_week=week.stats["completed"],
        completed_year=year.stats["completed"],
        started_year=year.stats["started"],
        minimum=minimum_of(scope),
        flagged=week.stats["flagged"],
        comments=week.stats["comments"],
        complaints=week.stats["complaints"],
        week=await scored(session, week, flows),
        previous=await scored(session, previous, flows),
        year=await scored(session, year, flows),
        feedback=tuple(Feedback(c.text, c.is_complaint) for c in comments),
        ranking=tuple(ranking),
    )
