"""The staff home page's glance at each unit a person can see: this month's counted
responses and index, and the reports / petitions waiting for an answer.

``month_figures`` is the one place that reads the figures: today it sums the weekly counters
of the ISO weeks whose Thursday falls in the month (the ISO rule for giving a week to a
month); when ``reports.report.build_report`` exists it is meant to be switched to read
``responses.counted``, ``sipas.value`` and ``sufficient`` of the month's report instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from reports.figures import FlowLookup, scope_of, scored
from reports.weeks import week_name
from storage.models import Unit
from storage.repos import complaints, counters, units

MAX_UNITS = 40  # a province admin sees the first ones; the report page has the rest


@dataclass(frozen=True)
class MonthFigures:
    counted: int
    index: float | None
    sufficient: bool | None = None  # None: not known from the weekly counters


@dataclass(frozen=True)
class UnitGlance:
    unit: Unit
    month: MonthFigures
    open_complaints: int
    overdue: int


def month_weeks(day: date) -> list[str]:
    """The ISO weeks given to ``day``'s month: those whose Thursday lies in it."""
    first = day.replace(day=1)
    thursday = first + timedelta(days=(3 - first.weekday()) % 7)
    weeks = []
    while thursday.month == first.month:
        weeks.append(week_name(thursday))
        thursday += timedelta(days=7)
    return weeks


async def month_figures(
    session: AsyncSession, unit: Unit, everyone: Sequence[Unit], today: date, flows: FlowLookup
) -> MonthFigures:
    """The month's counted responses and SIPAS index of ``unit`` with the units under it."""
    ids = [u.id for u in scope_of(unit, everyone)]
    tally = await counters.tally(session, ids, month_weeks(today))
    found = await scored(session, tally, flows)
    return MonthFigures(tally.stats["completed"], found.scores.overall if found else None)


async def glance(
    session: AsyncSession,
    scope: Sequence[Unit],
    *,
    today: date,
    now: datetime,
    flows: FlowLookup,
) -> list[UnitGlance]:
    """One line per unit of ``scope`` (at most MAX_UNITS), in scope order."""
    everyone = await units.all_units(session)
    found = []
    for unit in list(scope)[:MAX_UNITS]:
        ids = [u.id for u in scope_of(unit, everyone)]
        waiting, overdue = await complaints.open_counts(session, ids, now)
        month = await month_figures(session, unit, everyone, today, flows)
        found.append(UnitGlance(unit, month, waiting, overdue))
    return found
