"""``sipas-bot run``: migrations, then the web server, every configured channel and the
scheduler, in one process, until interrupted.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal

from aiohttp import web

from bot.channels import telegram
from bot.flow_admin.catalog import publish_defaults
from bot.scheduling import start_scheduler
from bot.services import Services, build_services
from bot.settings import Settings
from bot.web.server import build_app
from scheduler.clock import Clock, system_clock
from scheduler.runner import SchedulerRunner

log = logging.getLogger(__name__)


async def prepare(settings: Settings, clock: Clock = system_clock) -> Services:
    """Services on a migrated database with the default flows published."""
    services = build_services(settings, clock)
    await services.db.migrate()
    async with services.db.transaction() as session:
        published = await publish_defaults(session, clock())
    if published:
        log.info("published default flows: %s", ", ".join(published))
    return services


async def serve(settings: Settings, stop: asyncio.Event | None = None) -> None:
    services = await prepare(settings)
    app = build_app(services)
    channel = telegram.attach(services, app)  # its webhook route must exist before setup()
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.web.host, settings.web.port)
    await site.start()
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    scheduler: SchedulerRunner | None = None
    try:
        if channel is not None:
            await channel.start()  # a rejected token stops here, with one line
        scheduler = start_scheduler(services)
        log.info(
            "serving on http://%s:%s (public address %s)",
            settings.web.host,
            settings.web.port,
            settings.web.public_url,
        )
        await stop.wait()
    finally:
        log.info("stopping")
        if scheduler is not None:
            await scheduler.stop()
        if channel is not None:
            await channel.stop()
        await runner.cleanup()
        await services.db.dispose()
