"""The numbers of a weekly digest, read from the day-keyed counters through the same code as
reports (``reports.report.Reporter``): n, 95 % intervals, "not enough responses" and a ranking
of the units below among sufficient ones only, so a digest, a page and an export agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from reports import periods, sample
from reports.ranking import positions
from reports.report import Read, Reporter, trend
from reports.unit_figures import FlowLookup, UnitFigures
from reports.weeks import parse_week
from storage.models import Unit
from storage.repos import counted, surveys, tallies, units

__all__ = ["Feedback", "Figures", "FlowLookup", "Ranked", "figures", "scope_of"]


@dataclass(frozen=True)
class Feedback:
    text: str
    is_complaint: bool


@dataclass(frozen=True)
class Ranked:
    unit: Unit
    figures: UnitFigures
    sufficient: bool
    rank: int | None  # None: not enough responses to be ranked


@dataclass(frozen=True)
class Figures:
    """Everything a digest shows for a unit (with the units below it) and an ISO week."""

    units: tuple[Unit, ...]
    iso_week: str
    period: periods.Period
    week: UnitFigures
    previous: UnitFigures
    year: UnitFigures
    required: int  # counted responses the week needs to be ranked
    minimum: int | None  # the year's minimum
    flagged: int  # completed this week, left out of the figures
    feedback: tuple[Feedback, ...] = ()
    ranking: tuple[Ranked, ...] = field(default_factory=tuple)
    trend: tuple[dict[str, Any], ...] = ()  # the report JSON's trend: 12 weeks, this one last

    @property
    def sufficient(self) -> bool:
        return self.week.counted >= self.required and self.week.counted > 0

    @property
    def completed_week(self) -> int:
        return self.week.counted

    @property
    def completed_year(self) -> int:
        return self.year.counted

    @property
    def started_year(self) -> int:
        return self.year.started

    @property
    def comments(self) -> int:
        return self.week.comments

    @property
    def complaints(self) -> int:
        return self.week.complaints

    @property
    def completion_rate(self) -> float | None:
        if not self.started_year:
            return None
        return 100.0 * min(self.completed_year, self.started_year) / self.started_year


def scope_of(unit: Unit, everyone: Sequence[Unit]) -> list[Unit]:
    """The unit and all units under it."""
    return [unit, *units.below(unit.id, everyone)]


def week_period(iso_week: str) -> periods.Period:
    return periods.week(*parse_week(iso_week))


def year_to_date(week: periods.Period) -> periods.Period:
    """From 1 January (calendar year of the week's Sunday) to the week's end."""
    return periods.date_range(date(week.end.year, 1, 1), week.end)


async def figures(
    session: AsyncSession,
    unit: Unit,
    iso_week: str,
    flows: FlowLookup,
    read: Read = tallies.tally_spans,
) -> Figures:
    """The digest's figures from the counters (``read``: ``tallies.recount_spans`` computes
    the same from raw answers, which the bench compares against)."""
    everyone = await units.all_units(session)
    reporter = Reporter(session, everyone, flows, read)
    scope = scope_of(unit, everyone)
    ids = [u.id for u in scope]
    week = week_period(iso_week)
    before, year = periods.previous(week), year_to_date(week)
    # Every period the digest shows, read in one batch: the trend's weeks (this one and
    # the one before among them) in one group of queries, the year to date in another.
    tree, *_ = await reporter.trees(unit, [week, before, year, *periods.trend_periods(week)])
    comments = await surveys.comments_completed_in(session, ids, week.start, week.end)
    excluded = await counted.excluded(session, ids, week.start, week.end)
    ranking: list[Ranked] = []
    for child in reporter.children(unit):
        child_scope = scope_of(child, everyone)
        found = await tree.figures(child)
        ranking.append(
            Ranked(child, found, sample.sufficient(found.counted, child_scope, week), None)
        )
    found_ranks = positions([(r.unit.code, r.sufficient, r.figures.sipas.value) for r in ranking])
    ranked = [
        Ranked(r.unit, r.figures, r.sufficient, found_ranks.get(r.unit.code)) for r in ranking
    ]
    ranked.sort(key=lambda r: (r.rank is None, r.rank or 0, r.unit.code))
    this_week = await tree.figures(unit)
    return Figures(
        units=tuple(scope),
        iso_week=iso_week,
        period=week,
        week=this_week,
        previous=await reporter.figures(unit, before),
        year=await reporter.figures(unit, year),
        required=sample.required(scope, week),
        minimum=sample.annual_minimum(scope),
        flagged=excluded.total,
        feedback=tuple(Feedback(c.text, c.is_complaint) for c in comments),
        ranking=tuple(ranked),
        trend=tuple(await trend(reporter, unit, week, this_week)),
    )
