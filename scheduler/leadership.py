"""One scheduler at a time, whatever the number of processes: the process holding the
``scheduler`` lock (storage.locks) runs the jobs; any other waits as a standby, tries again
every few seconds, and takes over when the holder dies (its lock dies with it).

The jobs are safe to run twice anyway (every send is claimed in the database first), so the
lock is about not doing the same work twice, and about not racing the digest catch-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from typing import Protocol

from storage.locks import ExclusiveLock

log = logging.getLogger(__name__)

RETRY_EVERY = 5.0  # seconds between a standby's attempts, and between a leader's health checks


class Startable(Protocol):
    def start(self) -> None: ...

    async def stop(self) -> None:
        """Start no new job, let a running one finish, then stop."""
        ...


async def lead(
    lock: ExclusiveLock,
    make_runner: Callable[[], Startable],
    stop: asyncio.Event,
    *,
    retry_every: float = RETRY_EVERY,
) -> None:
    """Run a fresh runner while holding ``lock``, until ``stop`` is set; stand by meanwhile."""
    standing_by = False
    runner: Startable | None = None
    try:
        while not stop.is_set():
            if await _try(lock):
                standing_by = False
                log.info("this process runs the scheduler (%s lock taken)", lock.name)
                runner = make_runner()
                runner.start()
                while not stop.is_set() and await lock.still_held():
                    await _wait(stop, retry_every)
                await runner.stop()
                runner = None
                if not stop.is_set():
                    log.warning("the %s lock was lost; standing by", lock.name)
                continue
            if not standing_by:
                log.info("another process runs the scheduler; this one stands by")
                standing_by = True
            await _wait(stop, retry_every)
    finally:
        if runner is not None:
            await runner.stop()
        await lock.release()


async def _try(lock: ExclusiveLock) -> bool:
    """One attempt; a database that does not answer is a failed attempt, tried again later."""
    try:
        return await lock.try_acquire()
    except Exception as exc:
        log.warning("could not try the %s lock (%s); trying again", lock.name, exc)
        return False


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), seconds)
