"""``sipas-bot run``: migrations, then this process's share of the work until interrupted.

A role says which share (INTERFACES.md, ``run --role``):

- ``all``: everything in one process (the default, and the only sensible choice on SQLite);
- ``web``: the aiohttp server (web chat, staff pages, API, every webhook); any number of them;
- ``channels``: the channels' polling loops (webhook channels are served by ``web``);
- ``scheduler``: the periodic jobs; one runs at a time (scheduler.leadership), others stand by.

Each role is a small function below; ``serve`` composes them. Every channel-specific call is
in ``open_channels`` (and ``_SendingOnly``, the sending-only connection it uses).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import replace
from typing import Protocol

from aiohttp import web
from sqlalchemy.engine import make_url

from bot.channels import telegram
from bot.flow_admin.catalog import publish_defaults
from bot.scheduling import scheduler_runner
from bot.services import Services, build_services
from bot.settings import Settings
from bot.web.server import build_app
from scheduler.clock import Clock, system_clock
from scheduler.leadership import RETRY_EVERY, lead
from storage.locks import exclusive_lock, serialize

log = logging.getLogger(__name__)

ROLES = ("all", "web", "channels", "scheduler")
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


class Receiver(Protocol):
    async def start(self) -> None: ...


@asynccontextmanager
async def open_channels(
    services: Services, app: web.Application | None, role: str
) -> AsyncIterator[list[Receiver]]:
    """The configured channels as far as ``role`` needs them; yields those to start once the
    web server is up. The only channel-specific code of ``run``.

    ``all``: receive (poll, or webhook route on ``app``) and send. ``web``: webhook channels
    receive on ``app``; polling ones only send (and give their deep links). ``channels``:
    polling channels receive; webhook ones are left to ``web``. ``scheduler``: send only.
    Polling runs in one process at a time (a second one stands by, like the scheduler).
    A webhook route must exist before the server starts: this runs before ``serve_web``.
    """
    settings = services.settings.telegram
    webhook = settings.mode == "webhook"
    if not settings.enabled or (role == "channels" and webhook):
        if settings.enabled:
            log.warning("Telegram is in webhook mode: --role web serves its updates")
        yield []
        return
    channel = telegram.TelegramChannel(services)
    services.channels.add(channel)
    if role == "scheduler" or (role == "web" and not webhook):
        sender = _SendingOnly(services, channel)
        try:
            yield [sender]
        finally:
            await sender.stop()
        return
    if not webhook:  # one process polls; the others send only and stand by to take over
        sender, polling = _SendingOnly(services, channel), _LedPolling(services, channel)
        try:
            yield [sender, polling]
        finally:
            await polling.stop()
            await sender.stop()
        return
    if app is not None:
        app.router.add_post(telegram.WEBHOOK_PATH, channel.webhook)
    try:
        yield [channel]
    finally:
        await channel.stop()


async def keep_trying(connect: Callable[[], Awaitable[None]], what: str) -> None:
    """Call ``connect`` until it succeeds, backing off from 5 s to 5 min between attempts."""
    delay = 5.0
    while True:
        await asyncio.sleep(delay)
        try:
            await connect()
            return
        except Exception as exc:
            delay = min(delay * 2, 300.0)
            log.error("%s is still unreachable (%s); next try in %.0fs", what, exc, delay)


class _SendingOnly:
    """A channel connected for sending only (no polling, no webhook), e.g. for the scheduler.

    Connecting asks Telegram who the bot is (its deep links); when Telegram cannot be reached
    this is retried in the background, so the process serves meanwhile, and what cannot be
    sent is queued for retry as usual. A rejected token stops the process at start.
    """

    def __init__(self, services: Services, channel: telegram.TelegramChannel) -> None:
        self.services = services
        self.channel = channel
        self._retry: asyncio.Task[None] | None = None

    async def start(self) -> None:
        try:
            await self._connect()
        except telegram.TelegramUnavailable:
            raise
        except Exception as exc:  # network: PTB's NetworkError and friends
            log.error("Telegram is unreachable (%s); retrying in the background", exc)
            self._retry = asyncio.create_task(keep_trying(self._connect, "Telegram"))

    async def _connect(self) -> None:
        try:
            await self.channel.application.initialize()  # getMe
        except telegram.InvalidToken:
            raise telegram.TelegramUnavailable(telegram.REJECTED_TOKEN) from None
        username = self.channel.bot.username
        links = self.services.channel_links
        self.services.channel_links = replace(links, telegram_username=username)

    async def stop(self) -> None:
        if self._retry is not None:
            self._retry.cancel()
        await self.channel.application.shutdown()


class _LedPolling:
    """The channel's polling loop, in the one process holding its polling lock: two processes
    polling one bot would fight over ``getUpdates``."""

    def __init__(self, services: Services, channel: telegram.TelegramChannel) -> None:
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
                await receiver.start()  # a rejected token stops the process here, in one line
            if role in ("all", "scheduler"):
                scheduler: asyncio.Task[None] = asyncio.create_task(run_scheduler(services, stop))
                stack.push_async_callback(_finish, scheduler, stop)  # before channels close
            log.info("running as --role %s", role)
            await stop.wait()
    finally:
        log.info("stopping")
        await services.db.dispose()


async def _finish(task: asyncio.Task[None], stop: asyncio.Event) -> None:
    stop.set()
    await task


def _stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
