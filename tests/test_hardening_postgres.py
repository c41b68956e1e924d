"""Audit findings about PostgreSQL: a deadlock (or serialization failure) is retried a
bounded number of times instead of answering 503, and the product reconnects by itself after
PostgreSQL restarts, without losing an acknowledged answer."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services import Services
from storage.db import Database, is_retryable
from storage.models import Answer
from tests.support.servers import browser_client
from tests.support.surveys import new_token

pytestmark = pytest.mark.postgresql


@pytest.fixture
def pg_database(database: Database) -> Database:
    if database.dialect != "postgresql":
        pytest.skip("deadlocks and restarts are PostgreSQL's")
    return database


async def _deadlocking_pair(database: Database, *, retry: bool) -> list[object]:
    """Two transactions that lock the same two rows in opposite orders; PostgreSQL's deadlock
    detector aborts one of them (40P01)."""
    async with database.transaction() as session:
        await session.execute(text("CREATE TABLE IF NOT EXISTS tug (id int primary key, n int)"))
        await session.execute(text("INSERT INTO tug VALUES (1, 0), (2, 0) ON CONFLICT DO NOTHING"))
    both_hold_one = asyncio.Barrier(2)
    runs = {"first": 0, "second": 0}

    def work(name: str, order: tuple[int, int]):  # type: ignore[no-untyped-def]
        async def run(session: AsyncSession) -> str:
            runs[name] += 1
            await session.execute(text("UPDATE tug SET n = n + 1 WHERE id = :i"), {"i": order[0]})
            if runs[name] == 1:  # only the first attempt waits: the retry goes straight on
                await asyncio.wait_for(both_hold_one.wait(), 10)
            await session.execute(text("UPDATE tug SET n = n + 1 WHERE id = :i"), {"i": order[1]})
            return name

        return run

    async def plain(run):  # type: ignore[no-untyped-def]
        async with database.transaction() as session:
            return await run(session)

    call = database.retrying if retry else plain
    return await asyncio.gather(
        call(work("first", (1, 2))), call(work("second", (2, 1))), return_exceptions=True
    )


async def test_a_deadlock_fails_without_a_retry(pg_database: Database) -> None:
    outcomes = await _deadlocking_pair(pg_database, retry=False)
    failures = [o for o in outcomes if isinstance(o, DBAPIError)]
    assert len(failures) == 1 and is_retryable(failures[0])


async def test_a_deadlock_is_retried_and_both_transactions_commit(pg_database: Database) -> None:
    outcomes = await _deadlocking_pair(pg_database, retry=True)
    assert sorted(map(str, outcomes)) == ["first", "second"]
    async with pg_database.transaction() as session:
        totals = (await session.execute(text("SELECT sum(n) FROM tug"))).scalar_one()
    assert totals == 4  # each transaction counted exactly once


def _pg_ctl(action: str) -> None:
    directory = os.environ.get("SIPAS_TEST_POSTGRES_DIR", "")
    binaries = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    if not directory or not binaries:
        pytest.skip("needs SIPAS_TEST_POSTGRES_DIR and pg_ctl (scripts/throwaway-postgres)")
    command = [str(binaries[-1]), "-D", f"{directory}/data", "-l", f"{directory}/server.log"]
    command += ["-m", "fast", "-w", action]
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    # No pipes: the restarted server would keep them open (and die when they close).
    subprocess.run(
        command, check=True, timeout=60, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


async def answers(services: Services) -> int:
    async with services.db.transaction() as session:
        return int(await session.scalar(select(func.count()).select_from(Answer)) or 0)


async def answer(http: aiohttp.ClientSession, url: str, prompt: str, choice: str) -> int:
    async with http.post(url, data={"prompt": prompt, "choice": choice}) as response:
        return response.status


async def test_the_product_reconnects_after_postgresql_restarts(
    pg_database: Database, services: Services, server: str
) -> None:
    url = f"{server}/s/{await new_token(services)}"
    async with browser_client() as http:  # keeps the survey's cookie, as a browser does
        assert await answer(http, url, "_consent", "yes") == 200
        assert await answer(http, url, "1.1", "5") == 200
        before = await answers(services)
        await asyncio.to_thread(_pg_ctl, "restart")
        async with http.get(f"{server}/healthz") as response:
            assert response.status == 200
        assert await answer(http, url, "1.2", "4") == 200
    assert before >= 1
    assert await answers(services) == before + 1


async def test_pooled_connections_the_server_dropped_cost_no_answer(
    pg_database: Database, services: Services, server: str
) -> None:
    """Connections are checked only after sitting idle (a check is three round trips on
    asyncpg): one that died in between fails its first statement, and the turn runs again on
    a fresh connection instead of answering 503."""
    url = f"{server}/s/{await new_token(services)}"
    async with browser_client() as http:
        assert await answer(http, url, "_consent", "yes") == 200
        before = await answers(services)
        killer = Database(pg_database.url)  # a connection of its own, outside the pool
        try:
            async with killer.engine.connect() as connection:
                dropped = await connection.scalar(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
        finally:
            await killer.dispose()
        assert dropped
        assert await answer(http, url, "1.1", "5") == 200
        assert await answer(http, url, "1.2", "4") == 200
    assert await answers(services) == before + 2
