"""What the channel benches share: waiting for an asynchronous answer, and reading what the
product stored (answers, sessions, row counts) through the bench's own database handle."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self

from aiohttp import web
from sqlalchemy import func, select

from storage.db import Database
from storage.models import Answer, SurveySession

if TYPE_CHECKING:
    from bot.channels.protocol import Channel
    from bot.services import Services
    from bot.settings import Settings
    from scheduler.clock import ManualClock


async def eventually(check: Callable[[], object], timeout: float = 5.0) -> Any:  # noqa: ASYNC109
    """Wait until ``check()`` is truthy (a bot answers asynchronously in polling mode)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        await asyncio.sleep(0.01)


class BenchBase:
    """A running "process" of the product (services, a channel, the web server) with reads of
    what it stored; ``restart`` stops it and starts another on the same database."""

    services: Services
    channel: Any
    runner: web.AppRunner
    own_db: bool

    async def start_again(self, database: Database) -> Self:
        raise NotImplementedError

    async def stop(self) -> None:
        await self.channel.stop()
        await self.runner.cleanup()
        if self.own_db:
            await self.services.db.dispose()

    async def restart(self) -> Self:
        """Stop this "process" and start a new one on the same database."""
        await self.stop()
        fresh = await self.start_again(Database(self.services.db.url))
        fresh.own_db = True
        return fresh

    async def answer_rows(self) -> list[tuple[str, int]]:
        """Every stored answer row, in insertion order (a doubled answer shows twice)."""
        async with self.services.db.transaction() as session:
            rows = await session.execute(
                select(Answer.question_id, Answer.value).order_by(Answer.id)
            )
            return [(key, value) for key, value in rows]

    async def answers(self) -> dict[str, int]:
        return dict(await self.answer_rows())

    async def sessions(self) -> list[SurveySession]:
        async with self.services.db.transaction() as session:
            return list(await session.scalars(select(SurveySession).order_by(SurveySession.id)))

    async def count(self, model: type) -> int:
        async with self.services.db.transaction() as session:
            return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def serve_channel(
    settings: Settings,
    clock: ManualClock,
    database: Database,
    port: int,
    make: Callable[[Services], Channel],
) -> tuple[Services, Any, web.AppRunner]:
    """A "process" of the product with one channel: services (failed sends retried at once),
    the channel registered and its webhook mounted, the web server on ``port``, started."""
    from bot.channels import lifecycle
    from bot.services import build_services
    from bot.web.server import build_app
    from tests.support.servers import start_server

    services = build_services(settings, clock, database)
    services.outbox.retry_delay = 0
    app = build_app(services)
    channel = make(services)
    services.channels.add(channel)
    lifecycle.mount([channel], app)
    runner = await start_server(app, port)
    await channel.start()
    return services, channel, runner
