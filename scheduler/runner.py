"""APScheduler wiring: an interval trigger for the periodic tick and a cron trigger for the
weekly digest, in the process's event loop.

The triggers only decide when to look; what is due, and whether it was already sent, comes
from the database (see jobs.py), so a missed or doubled run changes nothing.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from scheduler.config import Schedule
from scheduler.jobs import Jobs

log = logging.getLogger(__name__)

DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class SchedulerRunner:
    def __init__(self, jobs: Jobs, schedule: Schedule) -> None:
        self.jobs = jobs
        self.schedule = schedule
        self.scheduler = AsyncIOScheduler(timezone=schedule.zone)
        self._running: set[asyncio.Task[object]] = set()

    async def _tracked(self, job: Callable[[], Awaitable[object]]) -> None:
        """Run ``job``, remembered while it runs so that ``stop()`` can wait for it."""
        task = asyncio.current_task()
        if task is not None:
            self._running.add(task)
        try:
            await job()
        finally:
            self._running.discard(task)  # type: ignore[arg-type]

    def start(self) -> None:
        """Start in the running event loop; the first tick runs at once (catch-up)."""
        weekday, at = self.schedule.weekly_at
        common = {"max_instances": 1, "coalesce": True, "misfire_grace_time": None}
        self.scheduler.add_job(
            functools.partial(self._tracked, self.jobs.tick),
            IntervalTrigger(seconds=max(self.schedule.tick.total_seconds(), 1.0)),
            id="tick",
            next_run_time=datetime.now(UTC),  # APScheduler runs on real time
            **common,
        )
        self.scheduler.add_job(
            functools.partial(self._tracked, self.jobs.digests),
            CronTrigger(
                day_of_week=DAY_NAMES[weekday],
                hour=at.hour,
                minute=at.minute,
                timezone=self.schedule.zone,
            ),
            id="weekly-digest",
            **common,
        )
        self.scheduler.start()
        log.info("scheduler started (tick every %s)", self.schedule.tick)

    def job_ids(self) -> list[str]:
        return [job.id for job in self.scheduler.get_jobs()]

    def shutdown(self) -> None:
        """Stop at once: a job still running is cancelled (use ``stop()`` in a live loop)."""
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def stop(self, timeout: float = 30.0) -> None:  # noqa: ASYNC109
        """Stop triggering, let a job already running finish, then shut down. APScheduler's
        own shutdown cancels a running job mid-query; with aiosqlite that cancellation can
        leave the connection's close waiting forever, hanging the process at exit."""
        if not self.scheduler.running:
            return
        self.scheduler.pause()
        running = [task for task in self._running if not task.done()]
        if running:
            await asyncio.wait(running, timeout=timeout)
        self.scheduler.shutdown(wait=False)
