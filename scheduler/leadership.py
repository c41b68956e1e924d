"""One scheduler at a time, whatever the number of processes: the process holding the
``scheduler`` lock (storage.locks) runs the jobs; any other waits as a standby, tries again
every few seconds, and takes over when the holder dies (its lock dies with it). A channel's
polling loop (one ``getUpdates`` consumer per bot) is led the same way.

The jobs are safe to run twice anyway (every send is claimed in the database first), so the
lock is about not doing the same work twice, and about not racing the digest catch-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
from collections.abc import Callable
from typing import Protocol

from storage.locks import ExclusiveLock

log = logging.getLogger(__name__)

RETRY_EVERY = 5.0  # seconds between a standby's attempts, and between a leader's health checks


class Startable(Protocol):
    def start(self) -> object:
        """Start (the scheduler's runner returns None, a channel's start is awaited)."""
        ...

    async def stop(self) -> None:
        """Start no new job, let a running one finish, then stop."""
        ...


async def lead(
    lock: ExclusiveLock,
    make_runner: Callable[[], Startable],
    stop: asyncio.Event,
    *,
    retry_every: float = RETRY_EVERY,
    what: str = "the scheduler",
) -> None:
    """Run a fresh runner while holding ``lock``, until ``stop`` is set; stand by meanwhile.

    ``what`` names the work in the log (also used for a channel's polling loop, which
    must run in one process only).
    """
    standing_by = False
    runner: Startable | None = None
    try:
        while not stop.is_set():
            if await _try(lock):
                standing_by = False
                log.info("this process runs %s (%s lock taken)", what, lock.name)
                runner = make_runner()
                started = runner.start()
                if inspect.isawaitable(started):
                    await started
                while not stop.is_set() and await lock.still_held():
                    await _wait(stop, retry_every)
                await runner.stop()
                runner = None
                if not stop.is_set():
                    log.warning("the %s lock was lost; standing by", lock.name)
                continue
            if not standing_by:
                log.info("another process runs %s; this one stands by", what)
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
