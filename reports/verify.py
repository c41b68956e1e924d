"""The check that keeps counters honest: recompute the figures from raw answers and compare."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repos import tallies

COMPARED_STATS = ("completed", "comments", "complaints")
TOLERANCE = 1e-6  # sums of personal indices are floating point


def differences(kept: tallies.Tally, raw: tallies.Tally) -> list[str]:
    """What differs between two tallies (empty when they agree)."""
    problems = [
        f"{stat}: counters {kept.stats[stat]}, raw {raw.stats[stat]}"
        for stat in COMPARED_STATS
        if kept.stats[stat] != raw.stats[stat]
    ]
    if +kept.by_source != +raw.by_source:
        problems.append(f"by source: counters {dict(kept.by_source)}, raw {dict(raw.by_source)}")
    for version in sorted(set(kept.distributions) | set(raw.distributions)):
        mine, theirs = kept.for_version(version), raw.for_version(version)
        for question in sorted(set(mine) | set(theirs)):
            a = {k: v for k, v in mine.get(question, {}).items() if v}
            b = {k: v for k, v in theirs.get(question, {}).items() if v}
            if a != b:
                problems.append(f"flow version {version}, question {question}: {a} != {b}")
    for version in sorted(set(kept.sums) | set(raw.sums)):
        mine_sums, raw_sums = kept.sums.get(version, {}), raw.sums.get(version, {})
        for measure in sorted(set(mine_sums) | set(raw_sums)):
            a_sum = mine_sums.get(measure, tallies.Sums())
            b_sum = raw_sums.get(measure, tallies.Sums())
            if a_sum.n != b_sum.n or any(
                abs(x - y) > TOLERANCE * max(1.0, abs(y))
                for x, y in ((a_sum.total, b_sum.total), (a_sum.squares, b_sum.squares))
            ):
                problems.append(f"flow version {version}, {measure}: {a_sum} != {b_sum}")
    return problems


async def disagreements(
    session: AsyncSession, unit_ids: Sequence[int], start: date, end: date
) -> list[str]:
    """Differences between the counters and a recount of the units' local dates, unit by unit."""
    kept = await tallies.tally(session, unit_ids, start, end)
    raw = await tallies.recount(session, unit_ids, start, end)
    problems: list[str] = []
    for unit_id in unit_ids:
        problems += [f"unit {unit_id}: {p}" for p in differences(kept[unit_id], raw[unit_id])]
    return problems
