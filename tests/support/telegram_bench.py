"""A test bench for the Telegram channel: the product's real web server and real PTB
Application, talking to FakeTelegramAPI on 127.0.0.1 through the base-URL setting.

Why a bench and not mocks: it proves the adapter against the wire format PTB really sends and
receives, in polling mode (getUpdates) and webhook mode (POSTs to our aiohttp route), on both
database backends. ``restart()`` stops everything and builds a new process's worth of objects
(database handle, services, application) on the same database.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from aiohttp import web

from bot.channels.telegram.adapter import TelegramChannel
from bot.services import Services
from scheduler.clock import ManualClock
from storage.db import Database
from tests.fakes.telegram_api import FakeTelegramAPI, FakeUser
from tests.support.bench import BenchBase, eventually, serve_channel
from tests.support.environment import make_settings
from tests.support.surveys import new_token

SECRET = "s3cret-webhook_token"
JSON = dict[str, Any]


@dataclass
class Bench(BenchBase):
    api: FakeTelegramAPI
    services: Services
    channel: TelegramChannel
    runner: web.AppRunner
    mode: str
    port: int
    clock: ManualClock
    own_db: bool = False

    @property
    def webhook_url(self) -> str:
        assert self.api.webhook is not None, "the bot did not register its webhook"
        return str(self.api.webhook["url"])

    async def push(self, update: JSON) -> int | None:
        """Deliver a user's update: already queued for getUpdates in polling mode; POSTed to
        our webhook (with the registered secret) in webhook mode. Returns the HTTP status."""
        if self.mode == "polling":
            return None
        assert self.api.webhook is not None
        status, _ = await self.api.deliver(
            update, self.webhook_url, str(self.api.webhook["secret_token"])
        )
        return status

    async def link(self, dossier: str = "HS-2026-000123", form: str = "citizen") -> str:
        return await new_token(self.services, dossier, form)

    def texts(self, chat: int) -> list[str]:
        return self.api.sent_texts(chat)

    async def said(self, chat: int, fragment: str, count: int = 1) -> list[str]:
        """Wait until ``count`` sent or edited texts in the chat contain ``fragment``."""
        return await eventually(
            lambda: (
                hits
                if len(hits := [t for t in self.texts(chat) if fragment in t]) >= count
                else None
            )
        )

    async def last(self, chat: int, fragment: str) -> dict[str, Any]:
        """Wait until the bot's last message in the chat contains ``fragment`` (a reply's
        final message: everything before it has been sent)."""

        def check() -> dict[str, Any] | None:
            sent = self.api.messages_to(chat)
            return sent[-1] if sent and fragment in sent[-1].get("text", "") else None

        return await eventually(check)

    async def button(self, chat: int, value: str) -> str:
        """The callback data of the live button with ``value`` on the bot's last message."""

        def check() -> str | None:
            for row in self.api.last_keyboard(chat):
                for _label, data in row:
                    if data and data.split("|")[-1] == value:
                        return data
            return None

        return await eventually(check)

    async def start_again(self, database: Database) -> Bench:
        return await start_bench(self.api, database, self.clock, self.port, self.mode)


async def start_bench(
    api: FakeTelegramAPI,
    database: Database,
    clock: ManualClock,
    port: int,
    mode: str,
    **env: str,
) -> Bench:
    settings = make_settings(
        database.url,
        port,
        SIPAS__TELEGRAM__TOKEN=api.token,
        SIPAS__TELEGRAM__BASE_URL=api.base_url,
        SIPAS__TELEGRAM__MODE=mode,
        SIPAS__TELEGRAM__WEBHOOK_SECRET=SECRET,
        **env,
    )
    services, channel, runner = await serve_channel(
        settings, clock, database, port, lambda s: TelegramChannel(s, poll_timeout=1)
    )
    return Bench(api, services, channel, runner, mode, port, clock)


async def start_survey(bench: Bench, user: FakeUser, token: str) -> None:
    """``/start <token>`` and agree: the first question is on screen."""
    await bench.push(user.send_command("start", token))
    await bench.last(user.chat_id, "Ông/Bà có đồng ý")
    await bench.push(user.press(await bench.button(user.chat_id, "yes")))
    await bench.last(user.chat_id, "Câu 1/22")


# --- fixtures (tests/conftest.py imports them) ----------------------------


@pytest.fixture
async def tg_api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI(max_poll_timeout=0.3) as fake:
        yield fake


@pytest.fixture(params=["polling", "webhook"])
async def tg(
    request: pytest.FixtureRequest,
    tg_api: FakeTelegramAPI,
    services: Services,
    clock: ManualClock,
    port: int,
) -> AsyncIterator[Bench]:
    bench = await start_bench(tg_api, services.db, clock, port, request.param)
    yield bench
    await bench.stop()
