"""Durability: kill -9 of the server while 50 respondents answer (SQLite), and a PostgreSQL
restart during the same load. Every answer acknowledged to a respondent (its POST answered
303) must be in the database exactly once afterwards, and the counters must agree with a
recount from raw answers."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path

from sqlalchemy import func, select

from bench.dataset import Postgres, prepare, sqlite_url
from bench.product import Product
from bench.results import Section
from bench.webchat_bench import pool_of
from bench.webchat_load import WebLoad, flat_out
from reports.verify import disagreements
from storage.db import Database
from storage.models import Answer, SurveyLink, SurveySession
from storage.repos import tallies


async def audit(db_url: str, load: WebLoad) -> tuple[int, int, bool, int]:
    """(acknowledged answers lost, answers stored twice, counters agree with a recount of
    every local date with a completed response — ``digest --check``'s comparison, which
    also finds responses counted while flagged —, responses the counters hold)."""
    database = Database(db_url)
    async with database.transaction() as session:
        rows = await session.execute(
            select(SurveyLink.token, Answer.question_id, Answer.value)
            .join(SurveySession, SurveySession.link_id == SurveyLink.id)
            .join(Answer, Answer.session_id == SurveySession.id)
        )
        stored: dict[tuple[str, str], list[int]] = {}
        for token, question, value in rows:
            stored.setdefault((token, question), []).append(value)
        acknowledged = {(t, p): v for t, p, v in load.acknowledged if not p.startswith("_")}
        lost = sum(
            1 for key, value in acknowledged.items() if int(value) not in stored.get(key, [])
        )
        doubled = sum(len(values) - 1 for values in stored.values())
        first, last = (
            await session.execute(
                select(func.min(SurveySession.completed_on), func.max(SurveySession.completed_on))
            )
        ).one()
        units = [u for (u,) in await session.execute(select(SurveySession.unit_id).distinct())]
        problems, counted = [], 0
        if first and last:
            problems = await disagreements(session, units, first, last)
            kept = await tallies.tally(session, units, first, last)
            counted = tallies.merged(kept.values()).stats["completed"]
    await database.dispose()
    return lost, doubled, not problems, counted


async def _under_load(
    db_url: str, product: Product, respondents: int, seconds: float,
    fault: Callable[[], Awaitable[None]], at: float,
) -> WebLoad:  # fmt: skip
    tokens = await prepare(db_url, respondents * 4, fresh=False)

    async def strike() -> None:
        await asyncio.sleep(at)
        await fault()

    load, _ = await asyncio.gather(
        flat_out([product.url], pool_of(tokens), respondents, seconds), strike()
    )
    return load


def _report(section: Section, label: str, load: WebLoad, found: tuple[int, int, bool, int]) -> None:
    lost, doubled, agree, counted = found
    acknowledged = sum(1 for _t, p, _v in load.acknowledged if not p.startswith("_"))
    section.add(f"{label}: acknowledged answers lost", f"{lost} of {acknowledged:,}", "0",
                lost == 0)  # fmt: skip
    section.add(f"{label}: answers doubled", str(doubled), "0", doubled == 0)
    if counted or not agree:
        verdict = f"{'yes' if agree else 'NO'} ({counted:,} responses counted)"
        section.add(f"{label}: counters agree with a recount", verdict, "yes", agree)
    else:  # an empty comparison proves nothing either way
        section.add(f"{label}: counters agree with a recount", "no response completed")
    section.add(f"{label}: errors seen by respondents", f"{len(load.errors):,}")


async def bench_durability(respondents: int, seconds: float, postgres: Postgres | None) -> Section:
    section = Section("Durability")
    with tempfile.TemporaryDirectory() as tmp:
        db_url = sqlite_url(Path(tmp))
        await prepare(db_url, 0)
        holder = {"product": await Product(db_url).start()}

        async def kill_and_restart() -> None:
            killed = holder["product"]
            killed.kill()
            holder["product"] = await Product(db_url, port=killed.port).start()

        load = await _under_load(db_url, holder["product"], respondents, seconds,
                                 kill_and_restart, seconds / 3)  # fmt: skip
        await holder["product"].stop()
        _report(section, f"SQLite, kill -9 among {respondents}", load, await audit(db_url, load))
    if postgres is None:
        section.note("PostgreSQL is not installed here: the restart figure is missing.")
        return section
    await prepare(postgres.url, 0)
    product = await Product(postgres.url).start()
    try:
        load = await _under_load(postgres.url, product, respondents, seconds,
                                 postgres.restart_async, seconds / 3)  # fmt: skip
    finally:
        await product.stop()
    found = await audit(postgres.url, load)
    _report(section, f"PostgreSQL restart among {respondents}", load, found)
    return section
