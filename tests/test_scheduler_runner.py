"""APScheduler wiring and the scheduler's place in ``sipas-bot run``."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, time, timedelta

import aiohttp
import pytest

from bot.app import serve
from bot.scheduling import schedule_from
from bot.services import Services
from scheduler.clock import ManualClock
from scheduler.config import Schedule
from scheduler.runner import SchedulerRunner
from tests.support.environment import make_settings
from tests.support.scheduler import jobs_for, open_survey, recording
from tests.support.telegram_bench import eventually


async def test_runner_ticks_at_once_and_schedules_the_weekly_digest(
    services: Services, clock: ManualClock
) -> None:
    channel = recording(services)
    await open_survey(services, "1001", "HS-1", answers=[4] * 3)
    clock.advance(hours=24)
    jobs = jobs_for(services)
    ticked = asyncio.Event()
    original = jobs.tick

    async def tick() -> None:
        await original()
        ticked.set()

    jobs.tick = tick  # type: ignore[method-assign]
    schedule = Schedule(zone=services.zone, weekly_at=(4, time(17, 0)))
    runner = SchedulerRunner(jobs, schedule)
    runner.start()
    try:
        assert sorted(runner.job_ids()) == ["tick", "weekly-digest"]
        weekly = runner.scheduler.get_job("weekly-digest")
        assert weekly is not None
        fire: datetime = weekly.next_run_time
        local = fire.astimezone(services.zone)
        assert (local.weekday(), local.time()) == (4, time(17, 0))
        assert timedelta(0) < fire - datetime.now(fire.tzinfo) <= timedelta(days=7)
        await asyncio.wait_for(ticked.wait(), timeout=10)
    finally:
        runner.shutdown()
    assert len(channel.to("1001")) == 1  # the first tick sent the due reminder


async def test_stop_lets_a_running_job_finish(services: Services) -> None:
    """A tick still running at shutdown completes instead of being cancelled mid-query
    (a cancelled aiosqlite call could hang the process at exit)."""
    jobs = jobs_for(services)
    started, release, finished = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def tick() -> None:
        started.set()
        await release.wait()
        finished.set()

    jobs.tick = tick  # type: ignore[method-assign]
    runner = SchedulerRunner(jobs, Schedule(zone=services.zone))
    runner.start()
    await asyncio.wait_for(started.wait(), timeout=10)
    stopping = asyncio.create_task(runner.stop())
    done, _ = await asyncio.wait({stopping}, timeout=0.2)
    assert not done  # still waiting for the tick
    release.set()
    await asyncio.wait_for(stopping, timeout=10)
    assert finished.is_set() and not runner.scheduler.running


def test_schedule_from_settings() -> None:
    settings = make_settings(
        "sqlite+aiosqlite:///unused.sqlite3",
        8080,
        SIPAS__REMINDERS__FIRST_AFTER="12h",
        SIPAS__REMINDERS__QUIET_HOURS="",
        SIPAS__DIGESTS__WEEKLY_AT="fri 17:00",
        SIPAS__SCHEDULER__TICK="5m",
    )
    schedule = schedule_from(settings)
    assert schedule.first_after == timedelta(hours=12)
    assert schedule.second_after == timedelta(hours=72)
    assert schedule.quiet_hours is None
    assert schedule.weekly_at == (4, time(17, 0))
    assert schedule.tick == timedelta(minutes=5)
    assert str(schedule.zone) == "Asia/Ho_Chi_Minh"


async def test_serve_starts_and_stops_the_scheduler(
    sqlite_url: str, port: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    stop = asyncio.Event()
    running = asyncio.create_task(serve(make_settings(sqlite_url, port), stop))
    async with aiohttp.ClientSession() as http:
        for _ in range(200):
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        break
            except aiohttp.ClientConnectionError:
                await asyncio.sleep(0.05)
    await eventually(lambda: "scheduler started" in caplog.text)
    stop.set()
    await asyncio.wait_for(running, timeout=10)
