"""Counters for tests: one ISO week's date-keyed tallies, merged, and a check that every
week and month row is the sum of its day rows."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reports.weeks import monday
from storage.models import (
    AnswerCount,
    AnswerPeriodCount,
    RespondentPeriodSum,
    RespondentSum,
    UnitDayStat,
    UnitPeriodStat,
)
from storage.repos import counted, tallies
from storage.repos.tallies import Tally


async def week_tally(session: AsyncSession, unit_ids: Iterable[int], week: str) -> Tally:
    """What the counters hold for ``week`` (e.g. ``2026-W48``), units merged; its stats
    carry ``flagged``: the responses of the week left out of the figures."""
    ids, first = list(unit_ids), monday(week)
    last = first + timedelta(days=6)
    found = tallies.merged((await tallies.tally(session, ids, first, last)).values())
    found.stats["flagged"] = (await counted.excluded(session, ids, first, last)).total
    return found


async def week_recount(session: AsyncSession, unit_ids: Iterable[int], week: str) -> Tally:
    """The same figures recomputed from the raw answers."""
    ids, first = list(unit_ids), monday(week)
    last = first + timedelta(days=6)
    return tallies.merged((await tallies.recount(session, ids, first, last)).values())


# day table, its period twin, the key columns besides the date, the summed columns
PAIRS: tuple[tuple[Any, Any, tuple[str, ...], tuple[str, ...]], ...] = (
    (AnswerCount, AnswerPeriodCount, ("unit_id", "flow_version_id", "question_id", "level"),
     ("count",)),
    (RespondentSum, RespondentPeriodSum, ("unit_id", "flow_version_id", "measure"),
     ("n", "total", "squares")),
    (UnitDayStat, UnitPeriodStat, ("unit_id", "source"),
     ("started", "completed", "comments", "complaints")),
)  # fmt: skip


def _first_day(day: date, grain: str) -> date:
    """Written out again here (not imported): the check must not share the code it checks."""
    if grain == "month":
        return date(day.year, day.month, 1)
    return date.fromisocalendar(*day.isocalendar()[:2], 1)


async def period_rows_off(session: AsyncSession) -> list[str]:
    """Week and month rows that are not the sum of their days' rows, summed here in Python
    (rows whose sums are all zero count as absent: a response taken out leaves zeros)."""
    off: list[str] = []
    for day_table, period_table, keys, summed in PAIRS:
        expected: dict[tuple[Any, ...], list[float]] = {}
        for row in await session.execute(select(day_table)):
            found = row[0]
            for grain in ("month", "week"):
                key = (*(getattr(found, k) for k in keys), grain, _first_day(found.day, grain))
                sums = expected.setdefault(key, [0.0] * len(summed))
                for i, name in enumerate(summed):
                    sums[i] += getattr(found, name)
        kept: dict[tuple[Any, ...], list[float]] = {}
        for row in await session.execute(select(period_table)):
            found = row[0]
            key = (*(getattr(found, k) for k in keys), found.grain, found.first_day)
            kept[key] = [float(getattr(found, name)) for name in summed]
        for key in sorted(set(expected) | set(kept), key=str):
            want = expected.get(key, [0.0] * len(summed))
            have = kept.get(key, [0.0] * len(summed))
            if not all(math.isclose(a, b, abs_tol=1e-6) for a, b in zip(want, have, strict=True)):
                off.append(f"{period_table.__tablename__} {key}: {have} != days {want}")
    return off
