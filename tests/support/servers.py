"""The product's real web server on 127.0.0.1 for a test (one way to start and stop it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

from bot.services import Services, build_services
from bot.web.server import build_app
from scheduler.clock import ManualClock
from storage.db import Database
from tests.support.environment import free_port, make_settings


async def start_server(app: web.Application, port: int) -> web.AppRunner:
    """Serve ``app`` on 127.0.0.1:``port``; the caller cleans the runner up."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner


@asynccontextmanager
async def serving(services: Services, port: int) -> AsyncIterator[str]:
    """The real application for ``services`` on 127.0.0.1:``port``; yields its base URL."""
    runner = await start_server(build_app(services), port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def browser_client() -> aiohttp.ClientSession:
    """An HTTP client that keeps cookies like a browser, also for 127.0.0.1 (aiohttp's default
    jar refuses cookies of IP addresses); one per simulated browser."""
    return aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))


@asynccontextmanager
async def serving_without_database(clock: ManualClock) -> AsyncIterator[str]:
    """The real application whose database server does not answer (nothing listens on its
    port); yields its base URL."""
    port = free_port()
    dead = f"postgresql+asyncpg://sipas@127.0.0.1:{free_port()}/none"
    services = build_services(make_settings(dead, port), clock, Database(dead))
    try:
        async with serving(services, port) as url:
            yield url
    finally:
        await services.db.dispose()
