"""Building, starting and stopping the configured channels, for the server and the CLI.

The registry says which channels the settings switch on; this module builds them, mounts their
webhook routes, and starts or prepares them — never naming a platform.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Protocol

from aiohttp import web

from bot.channels.protocol import Channel, ChannelUnavailable

if TYPE_CHECKING:
    from bot.services import Services

log = logging.getLogger(__name__)


async def keep_trying(
    connect: Callable[[], Awaitable[None]],
    what: str,
    retry_on: tuple[type[BaseException], ...] = (Exception,),
) -> None:
    """Call ``connect`` until it succeeds, backing off from 5 s to 5 min between attempts: a
    platform that is down at start is reached later while the web chat keeps serving."""
    delay = 5.0
    while True:
        await asyncio.sleep(delay)
        try:
            await connect()
            return
        except retry_on as exc:
            delay = min(delay * 2, 300.0)
            log.error("%s is still unreachable (%s); next try in %.0fs", what, exc, delay)


def build(services: Services) -> list[Channel]:
    """Every channel the settings switch on, registered for sending."""
    built: list[Channel] = []
    for plugin in services.plugins.enabled(services.settings):
        channel = plugin.create(services)
        services.channels.add(channel)
        built.append(channel)
    return built


def mount(channels: list[Channel], app: web.Application) -> None:
    """Add the channels' webhook routes (before the server starts)."""
    for channel in channels:
        for route in channel.routes():
            app.router.add_route(route.method, route.path, route.handler)


async def start(channels: list[Channel]) -> None:
    """Start each channel; a refused credential stops the start with ChannelUnavailable."""
    for channel in channels:
        await channel.start()


class Stoppable(Protocol):
    async def stop(self) -> None: ...


async def stop(parts: Sequence[Stoppable]) -> None:
    """Stop channels (or parts of their work) in reverse order of starting."""
    for part in reversed(parts):
        try:
            await part.stop()
        except Exception:  # stopping one part must not keep the others running
            log.exception("%s did not stop cleanly", getattr(part, "name", part))


@asynccontextmanager
async def prepared(services: Services, *, strict: bool) -> AsyncIterator[list[Channel]]:
    """The configured channels connected for sending only (a CLI command). ``strict``: a
    channel that cannot connect is an error; otherwise one warning line and it is left out
    (its links are null)."""
    ready: list[Channel] = []
    try:
        for channel in build(services):
            try:
                await channel.prepare()
            except ChannelUnavailable as exc:
                services.channels.remove(channel.name)
                await channel.stop()
                if strict:
                    raise
                print(f"sipas-bot: warning: {exc}; its link is left out", file=sys.stderr)
                continue
            ready.append(channel)
        yield ready
    finally:
        await stop(ready)
