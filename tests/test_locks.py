"""The scheduler lock on both backends: one holder at a time, and a standby takes over when
the holder goes away, whether it lets go or its process is killed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from scheduler.leadership import lead
from storage.db import Database
from storage.locks import ExclusiveLock, exclusive_lock
from tests.support.telegram_bench import eventually

ROOT = Path(__file__).parent.parent


@pytest.fixture
async def two_handles(database: Database) -> AsyncIterator[tuple[Database, Database]]:
    """Two engines on one database, as two processes would have."""
    other = Database(database.url)
    yield database, other
    await other.dispose()


async def test_one_holder_at_a_time_and_takeover_on_release(
    two_handles: tuple[Database, Database],
) -> None:
    first_db, second_db = two_handles
    first = exclusive_lock(first_db, "scheduler")
    second = exclusive_lock(second_db, "scheduler")
    assert await first.try_acquire()
    assert await first.try_acquire()  # holding it already is holding it
    assert not await second.try_acquire()
    assert await first.still_held()
    assert not await second.still_held()
    await first.release()
    assert not await first.still_held()
    assert await second.try_acquire()
    assert not await first.try_acquire()
    await second.release()
    await second.release()  # idempotent


async def test_locks_of_different_names_do_not_collide(database: Database) -> None:
    scheduler = exclusive_lock(database, "scheduler")
    other = exclusive_lock(database, "something-else")
    assert await scheduler.try_acquire()
    assert await other.try_acquire()
    await scheduler.release()
    await other.release()


HOLDER = textwrap.dedent(
    """
    import asyncio, sys
    from storage.db import Database
    from storage.locks import ExclusiveLock, exclusive_lock

    async def main() -> None:
        lock = exclusive_lock(Database(sys.argv[1]), "scheduler")
        print("held" if await lock.try_acquire() else "busy", flush=True)
        await asyncio.sleep(3600)

    asyncio.run(main())
    """
)


async def test_a_standby_takes_over_when_the_holder_process_is_killed(database: Database) -> None:
    holder = subprocess.Popen(  # noqa: ASYNC220  (a real process that really dies)
        [sys.executable, "-c", HOLDER, database.url],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        line = await asyncio.wait_for(asyncio.to_thread(holder.stdout.readline), 30)
        assert line.strip() == "held"
        standby = exclusive_lock(database, "scheduler")
        assert not await standby.try_acquire()
        os.kill(holder.pid, signal.SIGKILL)  # no clean release: the OS or the server frees it
        await asyncio.to_thread(holder.wait, 10)

        async def taken() -> bool:
            return await standby.try_acquire()

        assert await _within(taken, seconds=10)
        await standby.release()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


async def _within(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = asyncio.get_running_loop().time() + seconds
    while asyncio.get_running_loop().time() < deadline:
        if await condition():
            return True
        await asyncio.sleep(0.05)
    return False


class CountingRunner:
    """Stands for the APScheduler runner: records starts and stops."""

    running = 0
    started = 0

    def start(self) -> None:
        CountingRunner.running += 1
        CountingRunner.started += 1

    async def stop(self) -> None:
        CountingRunner.running -= 1


class CountingAttempts:
    """The real lock, counting how often a standby tried it."""

    def __init__(self, lock: ExclusiveLock) -> None:
        self.lock = lock
        self.name = lock.name
        self.attempts = 0

    async def try_acquire(self) -> bool:
        self.attempts += 1
        return await self.lock.try_acquire()

    async def still_held(self) -> bool:
        return await self.lock.still_held()

    async def release(self) -> None:
        await self.lock.release()


async def test_two_leaders_run_one_scheduler_and_the_standby_takes_over(
    two_handles: tuple[Database, Database], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="scheduler.leadership")
    CountingRunner.running = CountingRunner.started = 0
    first_db, second_db = two_handles
    first_stop, second_stop = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(
        lead(exclusive_lock(first_db, "scheduler"), CountingRunner, first_stop, retry_every=0.05)
    )
    await eventually(lambda: CountingRunner.running == 1)
    standby = CountingAttempts(exclusive_lock(second_db, "scheduler"))
    second = asyncio.create_task(lead(standby, CountingRunner, second_stop, retry_every=0.05))
    await eventually(lambda: standby.attempts >= 3)  # none of them may start a runner
    assert (CountingRunner.running, CountingRunner.started) == (1, 1)
    assert caplog.text.count("stands by") == 1  # said once, not at every attempt
    first_stop.set()
    await asyncio.wait_for(first, 5)
    await eventually(lambda: CountingRunner.started == 2)
    assert CountingRunner.running == 1
    second_stop.set()
    await asyncio.wait_for(second, 5)
    assert CountingRunner.running == 0


async def test_two_processes_starting_at_once_migrate_and_publish_once(db_url: str) -> None:
    """Both wait for each other on the migration and default-flow locks, neither fails."""
    from sqlalchemy import func, select, text

    from bot.app import prepare
    from bot.flow_admin.catalog import DEFAULT_FLOWS
    from storage.models import FlowVersion
    from tests.support.environment import make_settings

    if db_url.startswith("postgresql"):
        empty = Database(db_url)
        async with empty.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await empty.dispose()
    settings = make_settings(db_url, 8080)
    first, second = await asyncio.gather(prepare(settings), prepare(settings))
    async with first.db.transaction() as session:
        versions = await session.scalar(select(func.count()).select_from(FlowVersion))
    shipped = len(list(DEFAULT_FLOWS.glob("*.toml")))  # Mẫu 01, Mẫu 02, 1001, desk
    assert shipped >= 2 and versions == shipped  # each published once
    await first.db.dispose()
    await second.db.dispose()
