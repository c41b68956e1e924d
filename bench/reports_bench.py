"""Digest and province roll-up over a million responses: reports/digest.py reading the
counters (day rows, and week and month rows for whole periods), against computing the same
figures and text from raw answers (the same code with ``storage.repos.tallies.recount`` in
place of the counters), on SQLite; and a province's report for a whole year
(``reports.report.build_report``). Raw answers are created at a fraction of the volume and
the recount's time is extrapolated linearly (it scans the sessions and answers of the
scope); the scoring and the text, which do not grow with the volume, are counted once."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bench import findings, synthetic
from bench.dataset import sqlite_url
from bench.measure import ms
from bench.profiling import Profiler, summarise
from bench.results import Section
from bot.flow_admin.catalog import FlowCatalog
from reports import periods
from reports.digest import compose_digest, render_text
from reports.figures import figures, week_period, year_to_date
from reports.report import build_report
from storage.db import Database
from storage.models import Unit
from storage.repos import tallies, units

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


async def raw_timed(action: Callable[[], Awaitable[float]], repeat: int) -> float:
    """Median of the extrapolated seconds ``action`` reports, after one warm-up run."""
    await action()
    return statistics.median([await action() for _ in range(repeat)])


async def _child_tallies(session: AsyncSession, ids: list[int], week: periods.Period) -> None:
    """The communes' week tallies the roll-up's ranking reads, one commune at a time."""
    for unit_id in ids:
        await tallies.tally(session, [unit_id], week.start, week.end)


async def bench_reports(responses: int, communes: int, weeks: int, raw_share: int) -> Section:
    """``responses`` in counters over ``communes`` × ``weeks`` × 7 days; raw answers at
    1/raw_share of the volume."""
    section = Section("Digest and roll-up")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "reports.sqlite3"
        url = sqlite_url(Path(tmp), path.name)
        shape = await synthetic.province(url, communes, weeks)
        began = time.perf_counter()
        rows = synthetic.counters(path, shape, responses)
        raw_per_unit_day = max(1, responses // (shape.unit_days * raw_share))
        answers = synthetic.raw(path, shape, raw_per_unit_day)
        built = time.perf_counter() - began
        scale = responses / (raw_per_unit_day * shape.unit_days)
        section.note(
            f"{responses:,} responses in the counters ({communes} communes × "
            f"{len(shape.days)} days; {rows:,} answer_counts day rows, with their week and "
            f"month rows), consistent across the counter tables; raw: {answers:,} answers of "
            f"{answers // 22:,} responses (1/{scale:.3g} of the volume), built in {built:.1f} s. "
            f"Recount times are measured on the raw fraction and multiplied by {scale:.3g}; "
            "the raw path then scores and writes the digest with the same code, timed once."
        )
        database = Database(url)
        catalog = FlowCatalog()
        week = f"{synthetic.YEAR}-W{weeks:02d}"
        year = periods.year(synthetic.YEAR)
        moment = datetime(synthetic.YEAR + 1, 1, 5, tzinfo=UTC)
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

            async def year_report() -> None:
                await build_report(session, shape.province, year, now=moment, locale="vi")

            recounting = [0.0]  # seconds spent reading raw answers (scaled up below)

            async def recount_spans(
                session: AsyncSession, ids: Sequence[int], wanted: Sequence[tallies.Span]
            ) -> list[dict[int, tallies.Tally]]:
                began = time.perf_counter()
                found = await tallies.recount_spans(session, ids, wanted)
                recounting[0] += time.perf_counter() - began
                return found

            def recount(unit: Unit) -> Callable[[], Awaitable[float]]:
                """The same figures and text from raw answers: the recount of every period
                the digest shows, extrapolated to the full volume, plus the same scoring
                and text (which do not grow with the volume)."""

                async def run() -> float:
                    recounting[0] = 0.0
                    began = time.perf_counter()
                    found = await figures(session, unit, week, catalog.get, recount_spans)
                    render_text(found, unit, ZONE, "vi", None)
                    return time.perf_counter() - began + recounting[0] * (scale - 1)

                return run

            every = [province.id] + [(await units.require(session, c)).id for c in shape.communes]
            ytd = year_to_date(week_period(week))
            digest = await timed(digest_text, 5)
            chart = await timed(digest_with_chart, 3)
            roll = await timed(rollup, 3)
            report = await timed(year_report, 1)
            raw_digest = await raw_timed(recount(commune), 2)
            raw_roll = await raw_timed(recount(province), 1)
            year_tally = await timed(lambda: tallies.tally(session, every, ytd.start, ytd.end), 3)
            child_tallies = await timed(
                lambda: _child_tallies(session, every[1:], week_period(week)), 3
            )
            profile = Path(tmp) / "rollup.prof"
            with Profiler(str(profile), windowed=False):
                await rollup()
            section.note(f"Profile of the roll-up (cProfile): {summarise(profile)}")
        await database.dispose()
    section.add("one commune's weekly digest (figures + text)", ms(digest), "≤ 50 ms",
                digest <= 0.050)  # fmt: skip
    section.add("the same with its chart (matplotlib PNG)", ms(chart))
    section.add(f"province roll-up ({communes} communes ranked)", ms(roll), "≤ 1 s", roll <= 1.0)
    section.add(f"province report of the year {synthetic.YEAR} (build_report, JSON)", ms(report))
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
