"""The result notice sent by the product: a link created with a phone (API, import, CLI, the
clerk's page) sends one ZNS with the template's fields; repeating sends nothing; no phone or
ZNS off sends nothing; the night ban and -133 wait for the scheduler's morning tick; the
notice never makes the link's creation fail. Fake Zalo OAuth/ZNS server, SQLite and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.cli import main
from bot.scheduling import jobs_for
from bot.services import Services
from bot.staff import api_keys
from scheduler.clock import ManualClock
from storage.db import Database
from tests.fakes.zalo_api import FakeZaloOpenAPI
from tests.support.servers import serving
from tests.support.staff import StaffClient, add_staff
from tests.support.zns import assert_one_notice, zns_env, zns_services
from tests.test_api import Api
from tests.test_staff_access import upload

ROOT = Path(__file__).parent.parent
DOSSIER = "HS-2026-000123"
PHONE_84 = "84912345678"


async def api_client(base: str, http: aiohttp.ClientSession) -> Api:
    async with http.get(f"{base}/api/openapi.json") as response:
        return Api(http, base, await response.json())


async def commune_key(services: Services) -> str:
    return (await api_keys.issue(services.db, "XA-HOATHANH", now=services.now())).key


async def test_the_api_sends_one_notice_and_a_repeat_sends_nothing(
    database: Database, clock: ManualClock, port: int, zalo_open_api: FakeZaloOpenAPI
) -> None:
    async with (
        zns_services(database, clock, port, zalo_open_api) as services,
        serving(services, port) as base,
        aiohttp.ClientSession() as http,
    ):
        api, key = await api_client(base, http), await commune_key(services)
        body = {"dossier_code": DOSSIER, "form": "citizen", "phone": "0912 345 678"}
        status, first = await api.post(body, key)  # checked against the OpenAPI document
        assert status == 201
        assert first["notice"] == {"status": "sent", "error": None}
        assert_one_notice(zalo_open_api, phone=PHONE_84, dossier=DOSSIER, token=first["token"])
        status, again = await api.post(body, key)
        assert (status, again["token"], again["notice"]) == (200, first["token"], first["notice"])
        assert len(zalo_open_api.calls_to("zns")) == 1
        assert len(zalo_open_api.calls_to("oauth")) == 1


async def test_no_phone_or_no_zns_sends_nothing_and_says_null(
    database: Database, clock: ManualClock, port: int, zalo_open_api: FakeZaloOpenAPI
) -> None:
    async with zns_services(database, clock, port, zalo_open_api) as services:
        info = await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-1")
        assert services.links.as_json(info)["notice"] is None
    async with zns_services(database, clock, port, None) as services:
        assert services.links.notices is None
        info = await services.links.create(
            unit_code="XA-HOATHANH", dossier_code="HS-2", phone="0912345678"
        )
        assert services.links.as_json(info)["notice"] is None
    assert zalo_open_api.calls == []


async def test_the_import_sends_one_notice_per_row_with_a_phone(
    database: Database, clock: ManualClock, port: int, zalo_open_api: FakeZaloOpenAPI
) -> None:
    table = "dossier_code,form,procedure,phone\nHS-A,citizen,,0912345678\nHS-B,citizen,,\n"
    async with (
        zns_services(database, clock, port, zalo_open_api) as services,
        serving(services, port) as base,
        StaffClient(base) as clerk,
    ):
        await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
        await clerk.login("thu.clerk")
        await clerk.get("/staff/import")
        for _ in range(2):  # the same file twice: the second import sends nothing new
            status, _page = await clerk.post(
                "/staff/import", upload(clerk.csrf, "XA-HOATHANH", table.encode())
            )
            assert status == 200
        info = await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-A")
        assert_one_notice(zalo_open_api, phone=PHONE_84, dossier="HS-A", token=info.link.token)
        status, listing = await clerk.get("/staff/links")
        assert "Thông báo Zalo" in listing and "Đã gửi" in listing


def daytime_zone(now: datetime) -> str:
    """A fixed-offset zone where ``now`` is mid-morning, so a CLI test run at any hour is not
    in the night ban (the CLI runs on the system clock)."""
    offset = (10 - now.hour) % 24
    offset = offset - 24 if offset > 14 else offset
    # Etc/GMT signs are inverted: Etc/GMT-7 is UTC+7
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"


def run_cli(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--config", str(ROOT / "settings.toml"), *args])
    return code, out.getvalue(), err.getvalue()


async def test_the_cli_sends_one_notice_and_prints_it_in_the_json(
    database: Database,
    clock: ManualClock,
    port: int,
    zalo_open_api: FakeZaloOpenAPI,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with zns_services(database, clock, port, zalo_open_api):
        pass  # the units exist
    env = {
        **zns_env(zalo_open_api),
        "SIPAS__DATABASE__URL": database.url,
        "SIPAS__LOCALE__TIMEZONE": daytime_zone(datetime.now(UTC)),
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    create = ("links", "create", "--unit", "XA-HOATHANH", "--dossier", DOSSIER)
    code, out, err = await asyncio.to_thread(
        run_cli, *create, "--phone", "+84 912 345 678", "--json"
    )
    assert code == 0, err
    first: dict[str, Any] = json.loads(out)
    assert first["notice"] == {"status": "sent", "error": None}
    assert_one_notice(zalo_open_api, phone=PHONE_84, dossier=DOSSIER, token=first["token"])
    code, out, err = await asyncio.to_thread(run_cli, *create, "--phone", "0912345678")
    assert code == 0, err
    assert "result notice (Zalo ZNS): sent" in out
    assert len(zalo_open_api.calls_to("zns")) == 1
    code, out, err = await asyncio.to_thread(run_cli, *create, "--phone", "12")
    assert (code, out) == (1, "")
    assert err.startswith("sipas-bot: error: phone '12' is not a Vietnamese phone number")


async def test_at_night_the_notice_waits_for_the_morning_tick(
    database: Database, clock: ManualClock, port: int, zalo_open_api: FakeZaloOpenAPI
) -> None:
    clock.now = datetime(2026, 11, 24, 16, 30, tzinfo=UTC)  # 23:30 in Hà Nội
    async with zns_services(database, clock, port, zalo_open_api) as services:
        info = await services.links.create(
            unit_code="XA-HOATHANH", dossier_code=DOSSIER, phone="0912345678"
        )
        assert info.notice is not None and info.notice.status == "waiting"
        assert info.notice.next_attempt_at == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
        jobs = jobs_for(services)
        clock.now = datetime(2026, 11, 24, 22, 59, tzinfo=UTC)  # 05:59: still night
        await jobs.tick()
        assert zalo_open_api.calls_to("zns") == []
        clock.now = datetime(2026, 11, 24, 23, 0, 30, tzinfo=UTC)  # 06:00:30
        await jobs.tick()
        await jobs.tick()
        assert_one_notice(zalo_open_api, phone=PHONE_84, dossier=DOSSIER, token=info.link.token)
        shown = await services.links.info(info.link.token)
        assert shown is not None and shown.notice is not None
        assert shown.notice.status == "sent"


async def test_a_133_answer_waits_for_the_morning_and_is_sent_then(
    database: Database, clock: ManualClock, port: int, zalo_open_api: FakeZaloOpenAPI
) -> None:
    zalo_open_api.zns_errors = [-133]  # Zalo's clock says night although ours does not
    async with zns_services(database, clock, port, zalo_open_api) as services:
        info = await services.links.create(
            unit_code="XA-HOATHANH", dossier_code=DOSSIER, phone="0912345678"
        )
        assert info.notice is not None
        assert (info.notice.status, info.notice.error_code) == ("waiting", -133)
        next_morning = datetime(2026, 11, 24, 23, 0, tzinfo=UTC)  # 25/11 06:00 in Hà Nội
        assert info.notice.next_attempt_at == next_morning
        jobs = jobs_for(services)
        clock.advance(hours=6)
        await jobs.tick()
        assert len(zalo_open_api.calls_to("zns")) == 1
        clock.now = next_morning
        await jobs.tick()
        calls = zalo_open_api.calls_to("zns")
        assert [c.answer["error"] for c in calls] == [-133, 0]
        assert calls[0].body == calls[1].body  # the same notice, the same tracking id
        again = await services.links.create(unit_code="XA-HOATHANH", dossier_code=DOSSIER)
        assert again.notice is not None and again.notice.status == "sent"
        assert len(zalo_open_api.calls_to("zns")) == 2


async def test_an_unreachable_zalo_never_fails_the_link(
    database: Database, clock: ManualClock, port: int, zalo_open_api: FakeZaloOpenAPI
) -> None:
    async with zns_services(database, clock, port, zalo_open_api) as services:
        await zalo_open_api.close()  # nothing answers: Zalo is unreachable
        info = await services.links.create(
            unit_code="XA-HOATHANH", dossier_code=DOSSIER, phone="0912345678"
        )
        assert info.created
        notice = services.links.as_json(info)["notice"]
        assert notice["status"] == "waiting" and "unreachable" in notice["error"]
