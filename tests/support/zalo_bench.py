"""A test bench for the Zalo Bot API channel: the product's real web server and the real
adapter, talking to FakeZaloBotAPI on 127.0.0.1 through ``[zalo_bot] base_url``.

Polling mode (getUpdates) and webhook mode (the fake POSTs to our route with the secret) on
both database backends. ``restart()`` stops everything and builds a new process's worth of
objects (database handle, services, channel, web server) on the same database. The CLI runs in
this event loop, configured like the bench (``cli``).
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web

from bot.channels.zalo.bot_adapter import ZaloBotChannel
from bot.cli import build_parser
from bot.services import Services
from scheduler.clock import ManualClock
from storage.db import Database
from tests.fakes.zalo_api import FakeZaloBotAPI, FakeZaloUser
from tests.support.bench import BenchBase, eventually, serve_channel
from tests.support.environment import make_settings

SECRET = "zalo-s3cret-webhook"
POLL_INTERVAL = 0.01  # the product's minimum is 1 s; tests that check it set their own
JSON = dict[str, Any]


@dataclass
class ZaloBench(BenchBase):
    api: FakeZaloBotAPI
    services: Services
    channel: ZaloBotChannel
    runner: web.AppRunner
    mode: str
    port: int
    clock: ManualClock
    own_db: bool = False

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/webhooks/zalo-bot"

    async def push(self, update: JSON, *, wrapped: bool = True) -> int | None:
        """Deliver a user's update: already queued for getUpdates in polling mode; POSTed to
        our webhook with the registered secret in webhook mode (returns the HTTP status)."""
        if self.mode == "polling":
            return None
        status, _ = await self.api.deliver(update, self.webhook_url, SECRET, wrapped=wrapped)
        return status

    async def again(self, update: JSON) -> None:
        """The platform hands back an update already delivered (no offset in getUpdates)."""
        if self.mode == "polling":
            self.api.replay(update)
        else:
            await self.push(update)

    def texts(self, chat_id: str) -> list[str]:
        return self.api.sent_texts(chat_id)

    async def last(self, chat_id: str, fragment: str) -> str:
        """Wait until the bot's last message in the chat contains ``fragment``."""

        def check() -> str | None:
            sent = self.texts(chat_id)
            return sent[-1] if sent and fragment in sent[-1] else None

        return str(await eventually(check))

    async def says(self, user: FakeZaloUser, text: str, expect: str) -> str:
        """The user types ``text``; the bot's answer ends with a message containing
        ``expect`` (and one more message was sent, so an old one cannot match)."""
        before = len(self.texts(user.chat_id))
        await self.push(user.send_text(text))
        await eventually(lambda: len(self.texts(user.chat_id)) > before)
        return await self.last(user.chat_id, expect)

    async def settled(self) -> None:
        """Every queued update has been taken and answered: a marker that always gets an
        answer (``/help``) is answered last."""
        marker = self.api.user("u-marker", "Marker")
        before = len(self.texts(marker.chat_id))
        await self.push(marker.send_text("/help"))
        await eventually(lambda: len(self.texts(marker.chat_id)) > before)

    async def start_again(self, database: Database) -> ZaloBench:
        return await start_zalo_bench(self.api, database, self.clock, self.port, self.mode)

    async def cli(self, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
        """Run a ``sipas-bot`` command in this event loop; its stdout."""
        environ = {
            "SIPAS__DATABASE__URL": self.services.db.url,
            "SIPAS__WEB__PUBLIC_URL": self.services.settings.web.public_url,
            "SIPAS__ZALO_BOT__TOKEN": self.api.token,
            "SIPAS__ZALO_BOT__BASE_URL": self.api.base_url,
        }
        args = build_parser().parse_args(list(argv))
        assert await args.handler(args, environ) == 0
        return capsys.readouterr().out

    async def short_code(self, capsys: pytest.CaptureFixture[str], dossier: str) -> str:
        """``links create --json``: the code of ``links.zalo`` (``<public_url>/z/<code>``)."""
        out = await self.cli(
            capsys, "links", "create", "--unit", "XA-HOATHANH", "--dossier", dossier, "--json"
        )
        url = str(json.loads(out)["links"]["zalo"])
        prefix = f"{self.services.settings.web.public_url}/z/"
        assert url.startswith(prefix), url
        return url.removeprefix(prefix)


async def start_zalo_bench(
    api: FakeZaloBotAPI,
    database: Database,
    clock: ManualClock,
    port: int,
    mode: str,
    *,
    poll_interval: float = POLL_INTERVAL,
) -> ZaloBench:
    settings = make_settings(
        database.url,
        port,
        SIPAS__ZALO_BOT__TOKEN=api.token,
        SIPAS__ZALO_BOT__BASE_URL=api.base_url,
        SIPAS__ZALO_BOT__MODE=mode,
        SIPAS__ZALO_BOT__WEBHOOK_SECRET=SECRET,
    )
    services, channel, runner = await serve_channel(
        settings,
        clock,
        database,
        port,
        lambda s: ZaloBotChannel(s, poll_interval=poll_interval, poll_timeout=1),
    )
    return ZaloBench(api, services, channel, runner, mode, port, clock)


@asynccontextmanager
async def running_bench(
    api: FakeZaloBotAPI, services: Services, port: int, mode: str = "polling", **options: Any
) -> AsyncIterator[ZaloBench]:
    """A bench for one test that needs its own options (stopped at the end)."""
    bench = await start_zalo_bench(api, services.db, services.clock, port, mode, **options)  # type: ignore[arg-type]
    try:
        yield bench
    finally:
        await bench.stop()


@pytest.fixture(params=["polling", "webhook"])
async def zalo(
    request: pytest.FixtureRequest,
    zalo_bot_api: FakeZaloBotAPI,
    services: Services,
    clock: ManualClock,
    port: int,
) -> AsyncIterator[ZaloBench]:
    bench = await start_zalo_bench(zalo_bot_api, services.db, clock, port, request.param)
    yield bench
    await bench.stop()
