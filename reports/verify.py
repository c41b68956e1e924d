"""The check that keeps counters honest: recompute the figures from raw answers and compare."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from storage.repos import counters

COMPARED_STATS = ("completed", "comments", "complaints")


async def disagreements(
    session: AsyncSession, unit_ids: Sequence[int], weeks: Sequence[str]
) -> list[str]:
    """Differences between the counters and a recount (empty when they agree)."""
    kept = await counters.tally(session, unit_ids, weeks)
    recounted = await counters.recount(session, unit_ids, weeks)
    problems: list[str] = []
    for stat in COMPARED_STATS:
        if kept.stats[stat] != recounted.stats[stat]:
            problems.append(f"{stat}: counters {kept.stats[stat]}, raw {recounted.stats[stat]}")
    versions = set(kept.distributions) | set(recounted.distributions)
    for version in sorted(versions):
        mine, raw = kept.for_version(version), recounted.for_version(version)
        for question in sorted(set(mine) | set(raw)):
            a = {k: v for k, v in mine.get(question, {}).items() if v}
            b = {k: v for k, v in raw.get(question, {}).items() if v}
            if a != b:
                problems.append(f"flow version {version}, question {question}: {a} != {b}")
    return problems
