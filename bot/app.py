"""``sipas-bot run``: migrations, then this process's share of the work until interrupted.

A role says which share (INTERFACES.md, ``run --role``):

- ``all``: everything in one process (the default, and the only sensible choice on SQLite);
- ``web``: the aiohttp server (web chat, staff pages, API, every webhook); any number of them;
- ``channels``: the channels' polling loops (webhook channels are served by ``web``);
- ``scheduler``: the periodic jobs; one runs at a time (scheduler.leadership), others stand by.

Each role is a small function below; ``serve`` composes them. Channels come from the registry
(``open_channels``); no platform is named here.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Protocol

from aiohttp import web
from sqlalchemy.engine import make_url

from bot.channels import lifecycle
from bot.channels.protocol import Channel, ChannelUnavailable
from bot.flow_admin.catalog import publish_defaults
from bot.scheduling import scheduler_runner
from bot.services import Services, build_services
from bot.settings import Settings
from bot.web.server import build_app
from scheduler.clock import Clock, system_clock
from scheduler.leadership import RETRY_EVERY, lead
from storage.locks import exclusive_lock, serialize

log = logging.getLogger(__name__)

ROLES = ("all", "web", "channels", "scheduler")  # also in bot.cli.run, which must stay light
SQLITE_ONE_PROCESS = (
    "SQLite serves one process: run --role all, or move to PostgreSQL "
    "([database] url) before splitting roles across processes"
)


async def prepare(settings: Settings, clock: Clock = system_clock) -> Services:
    """Services on a migrated database with the default flows published."""
    services = build_services(settings, clock)
    await services.db.migrate()
    async with services.db.transaction() as session:
        await serialize(session, "default-flows")  # another process may be starting too
        published = await publish_defaults(session, clock())
    if published:
        log.info("published default flows: %s", ", ".join(published))
    return services


class Part(Protocol):
    """A piece of a channel's work this process runs (sending, polling, its webhook)."""

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


@asynccontextmanager
async def open_channels(
    services: Services, app: web.Application | None, role: str
) -> AsyncIterator[list[Part]]:
    """The configured channels (from the registry) as far as ``role`` needs them; yields the
    parts to start once the web server is up.

    ``all``: receive (poll, or webhook route on ``app``) and send. ``web``: webhook channels
    receive on ``app``; polling ones only send (and give their deep links). ``channels``:
    polling channels receive; webhook ones are left to ``web``. ``scheduler``: send only.
    Polling runs in one process at a time (a second one stands by, like the scheduler).
    A webhook route must exist before the server starts: this runs before ``serve_web``.
    """
    parts: list[Part] = []
    for channel in lifecycle.build(services):
        if role == "scheduler" or (role == "web" and channel.polls):
            parts.append(_SendingOnly(channel))
        elif role == "channels" and not channel.polls:
            log.warning("%s receives by webhook: --role web serves its updates", channel.name)
            parts.append(_SendingOnly(channel))
        elif channel.polls:  # one process polls; the others send only and stand by
            parts += [_SendingOnly(channel), _LedPolling(services, channel)]
        else:
            if app is not None:
                lifecycle.mount([channel], app)
            parts.append(channel)
    try:
        yield parts
    finally:
        await lifecycle.stop(parts)


class _SendingOnly:
    """A channel connected for sending only (no polling, no webhook), e.g. for the scheduler.

    Connecting learns what links need (a bot's username); when the platform cannot be reached
    this is retried in the background, so the process serves meanwhile, and what cannot be
    sent is queued for retry as usual. Refused credentials stop the process at start.
    """

    def __init__(self, channel: Channel) -> None:
        self.channel = channel
        self._retry: asyncio.Task[None] | None = None

    async def start(self) -> None:
        try:
            await self.channel.prepare()
        except ChannelUnavailable as exc:
            if not exc.temporary:
                raise
            log.error("%s (retrying in the background)", exc)
            self._retry = asyncio.create_task(lifecycle.keep_trying(self.channel.prepare, str(exc)))

    async def stop(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
        await self.channel.stop()


class _LedPolling:
    """The channel's polling loop, in the one process holding its polling lock: two processes
    polling one bot would fight over its updates."""

    def __init__(self, services: Services, channel: Channel) -> None:
        self.lock = exclusive_lock(services.db, f"{channel.name}-polling")
        self.channel = channel
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        what = f"{self.channel.name} polling"
        self._task = asyncio.create_task(
            lead(self.lock, lambda: self.channel, self._stop, what=what)
        )

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            try:
                await self._task
            except Exception:
                log.exception("%s polling stopped with an error", self.channel.name)


@asynccontextmanager
async def serve_web(services: Services, app: web.Application) -> AsyncIterator[None]:
    """The one aiohttp server: web chat, staff pages, API and every webhook."""
    settings = services.settings.web
    from bot.web.staff.security import signing_keys

    # At start, not at the first staff login: the key file is created on the first run, and
    # a missing or unreadable one is a one-line settings error now rather than a 500 later.
    await asyncio.to_thread(signing_keys, settings)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        site = web.TCPSite(runner, settings.host, settings.port)
        await site.start()
        log.info(
            "serving on http://%s:%s (public address %s)",
            settings.host,
            settings.port,
            settings.public_url,
        )
        yield
    finally:
        await runner.cleanup()


async def run_scheduler(
    services: Services, stop: asyncio.Event, *, retry_every: float = RETRY_EVERY
) -> None:
    """The periodic jobs, in this process only while it holds the scheduler lock."""
    lock = exclusive_lock(services.db, "scheduler")
    await lead(lock, lambda: scheduler_runner(services), stop, retry_every=retry_every)


async def serve(settings: Settings, stop: asyncio.Event | None = None, role: str = "all") -> None:
    """Run ``role`` until ``stop`` is set (or SIGINT/SIGTERM)."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if role != "all" and make_url(settings.database.url).get_backend_name() == "sqlite":
        log.warning(SQLITE_ONE_PROCESS)
    services = await prepare(settings)
    stop = stop or asyncio.Event()
    _stop_on_signals(stop)
    try:
        async with AsyncExitStack() as stack:
            app = build_app(services) if role in ("all", "web") else None
            receivers = await stack.enter_async_context(open_channels(services, app, role))
            if app is not None:
                await stack.enter_async_context(serve_web(services, app))
            for receiver in receivers:
                await receiver.start()  # refused credentials stop the process here, in one line
            if role in ("all", "scheduler"):
                scheduler: asyncio.Task[None] = asyncio.create_task(run_scheduler(services, stop))
                stack.push_async_callback(_finish, scheduler, stop)  # before channels close
            log.info("running as --role %s", role)
            await stop.wait()
    finally:
        log.info("stopping")
        await services.close()
        await services.db.dispose()


async def _finish(task: asyncio.Task[None], stop: asyncio.Event) -> None:
    stop.set()
    await task


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
