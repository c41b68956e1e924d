"""``run --role``: each role does its share of the work and nothing else (in-process ``serve``
against the fake Telegram API, on SQLite, where a split role also warns)."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import aiohttp
import pytest

from bot.app import SQLITE_ONE_PROCESS, serve
from bot.channels.telegram.adapter import TelegramUnavailable
from bot.cli import build_parser
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.environment import free_port, make_settings
from tests.support.telegram_bench import eventually

LEADS = "this process runs the scheduler"
Runner = Callable[[str, str], AbstractAsyncContextManager[None]]


def port_is_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def running(
    sqlite_url: str, port: int, tg_api: FakeTelegramAPI, caplog: pytest.LogCaptureFixture
) -> Runner:
    caplog.set_level(logging.INFO)

    @asynccontextmanager
    async def run(role: str, mode: str) -> AsyncIterator[None]:
        settings = make_settings(
            sqlite_url,
            port,
            SIPAS__TELEGRAM__TOKEN=tg_api.token,
            SIPAS__TELEGRAM__BASE_URL=tg_api.base_url,
            SIPAS__TELEGRAM__MODE=mode,
        )
        stop = asyncio.Event()
        task = asyncio.create_task(serve(settings, stop, role=role))
        await eventually(lambda: f"running as --role {role}" in caplog.text or task.done())
        try:
            yield
        finally:
            stop.set()
            await asyncio.wait_for(task, 10)

    return run


async def healthy(port: int) -> bool:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{port}/healthz") as response,
    ):
        return response.status == 200


async def test_web_serves_webhooks_and_runs_no_scheduler(
    running: Runner, port: int, tg_api: FakeTelegramAPI, caplog: pytest.LogCaptureFixture
) -> None:
    async with running("web", "webhook"):
        assert await healthy(port)
        assert tg_api.webhook is not None  # this process receives Telegram's updates
        assert LEADS not in caplog.text and "stands by" not in caplog.text
    assert SQLITE_ONE_PROCESS in caplog.text


async def test_web_with_a_polling_channel_only_sends(
    running: Runner, port: int, tg_api: FakeTelegramAPI
) -> None:
    async with running("web", "polling"):
        assert await healthy(port)
        assert tg_api.calls_to("getMe")  # its deep links are known
        assert not tg_api.calls_to("getUpdates")  # the channels role polls


async def test_channels_polls_and_serves_no_web(
    running: Runner, port: int, tg_api: FakeTelegramAPI, caplog: pytest.LogCaptureFixture
) -> None:
    async with running("channels", "polling"):
        await tg_api.wait_for(lambda call: call.method == "getUpdates")
        assert not port_is_open(port)
        assert LEADS not in caplog.text


async def test_channels_leaves_webhooks_to_web(
    running: Runner, port: int, tg_api: FakeTelegramAPI, caplog: pytest.LogCaptureFixture
) -> None:
    async with running("channels", "webhook"):
        assert "--role web serves its updates" in caplog.text
        assert tg_api.webhook is None and not port_is_open(port)


async def test_scheduler_runs_the_jobs_and_serves_no_web(
    running: Runner, port: int, tg_api: FakeTelegramAPI, caplog: pytest.LogCaptureFixture
) -> None:
    async with running("scheduler", "polling"):
        await eventually(lambda: "scheduler started" in caplog.text)
        assert LEADS in caplog.text
        assert tg_api.calls_to("getMe")  # ready to send digests and reminders
        assert not tg_api.calls_to("getUpdates") and not port_is_open(port)


def test_role_is_a_choice_with_all_as_default() -> None:
    parser = build_parser()
    assert parser.parse_args(["run"]).role == "all"
    assert parser.parse_args(["run", "--role", "scheduler"]).role == "scheduler"
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["run", "--role", "everything"])
    assert exited.value.code == 2


async def test_a_sending_only_role_serves_while_telegram_is_unreachable(
    sqlite_url: str, port: int, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    closed = free_port()  # nothing listens there
    settings = make_settings(
        sqlite_url,
        port,
        SIPAS__TELEGRAM__TOKEN="123:ABC",
        SIPAS__TELEGRAM__BASE_URL=f"http://127.0.0.1:{closed}/bot",
        SIPAS__TELEGRAM__MODE="polling",
    )
    stop = asyncio.Event()
    task = asyncio.create_task(serve(settings, stop, role="web"))
    try:
        await eventually(lambda: "running as --role web" in caplog.text, timeout=30)
        assert "Telegram is unreachable" in caplog.text
        assert await healthy(port)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_a_sending_only_role_stops_when_the_token_is_rejected(
    sqlite_url: str, port: int, tg_api: FakeTelegramAPI
) -> None:
    settings = make_settings(
        sqlite_url,
        port,
        SIPAS__TELEGRAM__TOKEN="999:WRONG",
        SIPAS__TELEGRAM__BASE_URL=tg_api.base_url,
    )
    with pytest.raises(TelegramUnavailable, match="rejected the bot token"):
        await asyncio.wait_for(serve(settings, role="scheduler"), 30)


async def test_two_all_processes_on_one_sqlite_file_poll_and_schedule_in_one(
    sqlite_url: str, tg_api: FakeTelegramAPI, caplog: pytest.LogCaptureFixture
) -> None:
    """Two polling loops on one bot would fight over getUpdates, two schedulers would do
    the work twice: the second process stands by for both, and takes over both."""
    caplog.set_level(logging.INFO)
    env = {"SIPAS__TELEGRAM__TOKEN": tg_api.token, "SIPAS__TELEGRAM__BASE_URL": tg_api.base_url}
    first_port, second_port = free_port(), free_port()
    first_stop, second_stop = asyncio.Event(), asyncio.Event()
    first = asyncio.create_task(serve(make_settings(sqlite_url, first_port, **env), first_stop))
    await eventually(lambda: caplog.text.count("this process runs") == 2, timeout=30)
    second = asyncio.create_task(serve(make_settings(sqlite_url, second_port, **env), second_stop))
    try:
        await eventually(lambda: caplog.text.count("this one stands by") == 2, timeout=30)
        assert "another process runs telegram polling" in caplog.text
        assert "another process runs the scheduler" in caplog.text
        assert caplog.text.count("this process runs") == 2
        first_stop.set()
        await asyncio.wait_for(first, 10)
        await eventually(lambda: caplog.text.count("this process runs") == 4, timeout=30)
        polls = len(tg_api.calls_to("getUpdates"))
        await eventually(lambda: len(tg_api.calls_to("getUpdates")) > polls)  # the second polls
        assert await healthy(second_port)
    finally:
        first_stop.set()
        second_stop.set()
        await asyncio.gather(first, second, return_exceptions=True)
