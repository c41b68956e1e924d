"""The product's real web server on 127.0.0.1 for a test (one way to start and stop it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from aiohttp import web

from bot.services import Services
from bot.web.server import build_app


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
