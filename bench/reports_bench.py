"""Digest and province roll-up over a million responses: today's reports/digest.py reading
counters, against recomputing the same figures from raw answers (counters.recount), on
SQLite. Raw answers are created at a fraction of the volume and the recount's time is
extrapolated linearly (it scans the sessions and answers of the scope), both printed."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bench import findings, synthetic
from bench.dataset import sqlite_url
from bench.measure import ms
from bench.profiling import Profiler, summarise
from bench.results import Section
from bot.flow_admin.catalog import FlowCatalog
from reports.digest import compose_digest, render_text
from reports.figures import figures
from reports.weeks import shift, year_weeks
from storage.db import Database
from storage.repos import counters, units

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def timed(action: Callable[[], Awaitable[object]], repeat: int) -> float:
    """Median seconds of ``repeat`` runs after one warm-up run."""
    await action()
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        await action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


async def _child_tallies(session: AsyncSession, ids: list[int], week: str) -> None:
    """What the roll-up's ranking does: one week tally per commune."""
    for unit_id in ids:
        await counters.tally(session, [unit_id], [week])


async def bench_reports(responses: int, communes: int, weeks: int, raw_share: int) -> Section:
    """``responses`` in counters over ``communes`` × ``weeks``; raw answers at 1/raw_share."""
    section = Section("Digest and roll-up")
    per_unit_week = max(1, responses // (communes * weeks))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.sqlite3"
        url = sqlite_url(Path(tmp), path.name)
        shape = await synthetic.province(url, communes, weeks)
        began = time.perf_counter()
        rows = synthetic.counters(path, shape, per_unit_week)
        raw_per_unit_week = max(1, per_unit_week // raw_share)
        answers = synthetic.raw(path, shape, raw_per_unit_week)
        built = time.perf_counter() - began
        total = per_unit_week * communes * weeks
        scale = per_unit_week / raw_per_unit_week
        section.note(
            f"{total:,} responses in counters ({communes} communes × {weeks} weeks × "
            f"{per_unit_week}; {rows:,} counter rows); raw: {answers:,} answers of "
            f"{answers // 22:,} responses (1/{scale:g} of the volume), built in {built:.1f} s. "
            f"Recount times are measured on the raw fraction and multiplied by {scale:g}."
        )
        database = Database(url)
        catalog = FlowCatalog()
        week = shape.weeks[-1]
        async with database.transaction() as session:
            commune = await units.require(session, shape.communes[0])
            province = await units.require(session, shape.province)

            async def digest_text() -> None:
                found = await figures(session, commune, week, catalog.get)
                render_text(found, commune, ZONE, "vi", None)

            async def digest_with_chart() -> None:
                await compose_digest(session, commune, week, catalog.get, ZONE, "vi")

            async def rollup() -> None:
                found = await figures(session, province, week, catalog.get)
                render_text(found, province, ZONE, "vi", None)

            def recount(ids: list[int]) -> Callable[[], Awaitable[object]]:
                async def run() -> None:
                    for scope in ([week], [shift(week, -1)], year_weeks(week)):
                        await counters.recount(session, ids, scope)

                return run

            every = [province.id] + [(await units.require(session, c)).id for c in shape.communes]
            digest = await timed(digest_text, 5)
            chart = await timed(digest_with_chart, 3)
            roll = await timed(rollup, 3)
            raw_digest = await timed(recount([commune.id]), 2) * scale
            raw_roll = await timed(recount(every), 1) * scale
            year_tally = await timed(lambda: counters.tally(session, every, year_weeks(week)), 3)
            child_tallies = await timed(lambda: _child_tallies(session, every[1:], week), 3)
            profile = Path(tmp) / "rollup.prof"
            with Profiler(str(profile), windowed=False):
                await rollup()
            section.note(f"Profile of the roll-up (cProfile): {summarise(profile)}")
        await database.dispose()
    section.add("one commune's weekly digest (figures + text)", ms(digest), "≤ 50 ms",
                digest <= 0.050)  # fmt: skip
    section.add("the same with its chart (matplotlib PNG)", ms(chart))
    section.add(f"province roll-up ({communes} communes ranked)", ms(roll), "≤ 1 s", roll <= 1.0)
    section.add(
        "in it: the year's tally of the province / the communes' week tallies",
        f"{ms(year_tally)} / {ms(child_tallies)}",
    )
    section.add(
        "digest recomputed from raw answers (extrapolated)",
        f"{ms(raw_digest)} = {raw_digest / digest:,.0f}× the counters",
        "≥ 50×",
        raw_digest / digest >= 50,
    )
    section.add(
        "roll-up recomputed from raw answers (extrapolated)",
        f"{ms(raw_roll)} = {raw_roll / roll:,.0f}× the counters",
        "≥ 50×",
        raw_roll / roll >= 50,
    )
    section.findings(findings.REPORTS)
    return section
