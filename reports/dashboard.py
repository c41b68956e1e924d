"""The staff home page's glance at each unit a person can see: this month's counted
responses, index, whether there are enough responses to rank it, the trend against last
month, and the reports / petitions waiting for an answer.

The figures are the month's report (``reports.report.build_report``), so the dashboard, the
report page and the exports never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from reports.figures import FlowLookup, scope_of
from reports.periods import parse_period
from reports.ranking import positions
from reports.report import build_report
from storage.models import Unit
from storage.repos import complaints, units

MAX_UNITS = 40  # a province admin sees the first ones; the report page has the rest


@dataclass(frozen=True)
class MonthFigures:
    counted: int
    index: float | None
    sufficient: bool | None = None
    change: str | None = None  # "rise" | "fall" | "steady" against last month, None unknown


@dataclass(frozen=True)
class UnitGlance:
    unit: Unit
    month: MonthFigures
    open_complaints: int
    overdue: int
    rank: int | None = None  # among the units beside it (same parent) with enough responses


async def month_figures(
    session: AsyncSession, unit: Unit, today: date, now: datetime, flows: FlowLookup
) -> MonthFigures:
    """The running month's counted responses and SIPAS index of ``unit`` with the units
    under it, from the month's report."""
    month = parse_period(f"{today:%Y-%m}", today=today)
    report = await build_report(session, unit.code, month, now=now, locale="vi", flows=flows)
    trend = report.get("trend") or []
    return MonthFigures(
        report["responses"]["counted"],
        (report.get("sipas") or {}).get("value"),
        bool(report.get("sufficient")),
        trend[-1].get("change") if trend else None,
    )


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
        month = await month_figures(session, unit, today, now, flows)
        found.append(UnitGlance(unit, month, waiting, overdue))
    return _ranked(found)


def _ranked(found: list[UnitGlance]) -> list[UnitGlance]:
    """Each unit's rank among its siblings (a province's communes), by the one ranking rule:
    only units with enough responses are ranked."""
    ranks: dict[str, int] = {}
    for parent in {g.unit.parent_id for g in found}:
        siblings = [g for g in found if g.unit.parent_id == parent]
        ranks |= positions(
            [(g.unit.code, bool(g.month.sufficient), g.month.index) for g in siblings]
        )
    return [replace(g, rank=ranks.get(g.unit.code)) for g in found]
