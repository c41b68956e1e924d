"""``sipas-bot run`` with a Telegram token: the channel starts with the web server (polling or
webhook registration), answers, and stops cleanly with the process."""

from __future__ import annotations

import asyncio
import socket

import pytest

from bot.app import serve
from bot.cli import build_parser
from bot.cli.common import CliError
from bot.services import Services
from scheduler.clock import system_clock
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.environment import make_settings
from tests.support.telegram_bench import eventually


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_run_serves_the_telegram_channel(
    services: Services, tg_api: FakeTelegramAPI, port: int, mode: str
) -> None:
    services.links.clock = system_clock  # `run` lives on the system clock
    token = (
        await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-RUN", actor="t")
    ).link.token
    settings = make_settings(
        services.db.url,
        port,
        SIPAS__TELEGRAM__TOKEN=tg_api.token,
        SIPAS__TELEGRAM__BASE_URL=tg_api.base_url,
        SIPAS__TELEGRAM__MODE=mode,
    )
    stop = asyncio.Event()
    running = asyncio.create_task(serve(settings, stop))
    try:
        await tg_api.wait_for(lambda c: c.method in ("getUpdates", "setWebhook"))
        assert [c["command"] for c in tg_api.commands] == ["start", "help", "xoadulieu"]
        user = tg_api.user(6001)
        update = user.send_command("start", token)
        if mode == "webhook":
            assert tg_api.webhook is not None
            assert tg_api.webhook["url"] == f"http://127.0.0.1:{port}/webhooks/telegram"
            secret = str(tg_api.webhook["secret_token"])
            assert len(secret) >= 32  # derived from the token when none is configured
            url = str(tg_api.webhook["url"])
            assert (await tg_api.deliver(update, url, secret))[0] == 200
        await eventually(lambda: any("đồng ý" in t for t in tg_api.sent_texts(6001)))
    finally:
        stop.set()
        await asyncio.wait_for(running, 10)
    assert tg_api.calls_to("getMe")


async def test_run_stops_with_one_line_when_the_token_is_rejected(
    services: Services, tg_api: FakeTelegramAPI, port: int
) -> None:
    environ = {
        "SIPAS__DATABASE__URL": services.db.url,
        "SIPAS__WEB__PORT": str(port),
        "SIPAS__TELEGRAM__TOKEN": "999:WRONG",
        "SIPAS__TELEGRAM__BASE_URL": tg_api.base_url,
    }
    args = build_parser().parse_args(["run"])
    with pytest.raises(CliError, match=r"^Telegram rejected the bot token \(\[telegram\] token\)$"):
        await args.handler(args, environ)
    # The web server was stopped too: the port is free again.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
