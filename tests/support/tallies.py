"""Counters of one ISO week for tests: the date-keyed tallies of its seven days, merged."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from reports.weeks import monday
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
