"""The ZNS result notice against the fake ZNS/OAuth server: exact fields, once per link, the
night ban, and errors recorded on the link's notice (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from bot.channels.zalo.oa_tokens import TokenKeeper
from bot.channels.zalo.zns import ZnsNotifier, in_night_ban, next_morning, tracking_id
from bot.dossiers.links import new_short_code, new_token
from scheduler.clock import ManualClock
from storage.db import Database
from storage.models import ResultNotice
from storage.repos import links, result_notices, units
from storage.repos.links import LinkRequest
from tests.fakes.zalo_api import FakeZaloOpenAPI
from tests.support.environment import START, free_port, make_settings

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
PUBLIC = "https://khaosat.hoathanh.example.vn"


def notifier_for(database: Database, api: FakeZaloOpenAPI, clock: ManualClock) -> ZnsNotifier:
    """A notifier as one process builds it (its own keeper), from settings as a commune
    writes them, pointed at the fake servers."""
    env = {
        "SIPAS__ZALO_OA__APP_ID": api.app_id,
        "SIPAS__ZALO_OA__APP_SECRET": api.app_secret,
        "SIPAS__ZALO_OA__OA_SECRET_KEY": "oa-secret",
        "SIPAS__ZALO_OA__REFRESH_TOKEN": "rt-0",
        "SIPAS__ZALO_OA__OAUTH_BASE_URL": api.url,
        "SIPAS__ZALO_ZNS__TEMPLATE_ID": "250001",
        "SIPAS__ZALO_ZNS__BASE_URL": api.url,
    }
    settings = make_settings(database.url, free_port(), **env)
    return ZnsNotifier(
        database,
        settings.zalo_zns,
        TokenKeeper(database, settings.zalo_oa, clock),
        now=clock,
        zone=ZONE,
        survey_url=lambda token: f"{PUBLIC}/s/{token}",
    )


@pytest.fixture
async def zns(
    database: Database, clock: ManualClock, zalo_open_api: FakeZaloOpenAPI
) -> AsyncIterator[tuple[ZnsNotifier, FakeZaloOpenAPI]]:
    notifier = notifier_for(database, zalo_open_api, clock)
    yield notifier, zalo_open_api
    await notifier.keeper.close()


async def make_link(database: Database, dossier: str, phone: str | None) -> tuple[int, str]:
    async with database.transaction() as session:
        unit = await units.by_code(session, "XA-HOATHANH") or await units.add(
            session, "XA-HOATHANH", "UBND xã Hòa Thành", now=START
        )
        link, _ = await links.create(
            session,
            LinkRequest(unit=unit, dossier_code=dossier, form="citizen", phone=phone),
            now=START,
            expires_at=START + timedelta(days=14),
            new_token=new_token,
            new_short_code=new_short_code,
        )
        return link.id, link.token


async def test_the_notice_is_sent_once_with_the_exact_fields(
    database: Database, zns: tuple[ZnsNotifier, FakeZaloOpenAPI]
) -> None:
    notifier, api = zns
    link_id, token = await make_link(database, "HS-2026-000123", "0912 345 678")
    outcome = await notifier.notify(link_id)
    assert outcome.status == "sent" and outcome.msg_id and outcome.sent_now
    again = await notifier.notify(link_id)
    assert (again.status, again.sent_now, again.msg_id) == ("sent", False, outcome.msg_id)
    [call] = api.calls_to("zns")
    assert call.body == {
        "phone": "84912345678",
        "template_id": "250001",
        "template_data": {
            "dossier_code": "HS-2026-000123",
            "unit_name": "UBND xã Hòa Thành",
            "survey_url": f"{PUBLIC}/s/{token}",
        },
        "tracking_id": f"sipas-link-{link_id}",
    }
    assert token not in call.body["tracking_id"] and len(call.body["tracking_id"]) <= 48
    assert call.headers["access_token"] in api.valid_access


async def test_no_phone_sends_nothing_and_a_bad_phone_is_recorded(
    database: Database, zns: tuple[ZnsNotifier, FakeZaloOpenAPI]
) -> None:
    notifier, api = zns
    no_phone, _ = await make_link(database, "HS-1", None)
    bad_phone, _ = await make_link(database, "HS-2", "12345")
    assert (await notifier.notify(no_phone)).status == "no_phone"
    failed = await notifier.notify(bad_phone)
    assert failed.status == "failed" and failed.error and "starting with 0" in failed.error
    assert api.calls_to("zns") == []
    async with database.transaction() as session:
        assert await session.scalar(select(func.count()).select_from(ResultNotice)) == 1


async def test_the_night_ban_waits_for_the_morning(
    database: Database, zns: tuple[ZnsNotifier, FakeZaloOpenAPI], clock: ManualClock
) -> None:
    notifier, api = zns
    link_id, _ = await make_link(database, "HS-3", "+84 912 345 678")
    clock.now = datetime(2026, 11, 24, 22, 30, tzinfo=ZONE).astimezone(UTC)
    outcome = await notifier.notify(link_id)
    morning = datetime(2026, 11, 25, 6, 0, tzinfo=ZONE)
    assert (outcome.status, outcome.next_attempt_at) == ("waiting", morning)
    assert api.calls_to("zns") == []
    clock.now = morning.astimezone(UTC) - timedelta(minutes=1)
    assert await notifier.send_due() == 0
    clock.now = morning.astimezone(UTC)
    assert await notifier.send_due() == 1
    assert await notifier.send_due() == 0
    assert len(api.calls_to("zns")) == 1


async def test_zalo_errors_are_recorded_per_link(
    database: Database, zns: tuple[ZnsNotifier, FakeZaloOpenAPI], clock: ManualClock
) -> None:
    notifier, api = zns
    night_refused, _ = await make_link(database, "HS-4", "0912345678")
    invalid, _ = await make_link(database, "HS-5", "0987654321")
    api.zns_errors = [-133, -108]
    waiting = await notifier.notify(night_refused)
    assert (waiting.status, waiting.error_code) == ("waiting", -133)
    assert waiting.next_attempt_at == datetime(2026, 11, 25, 6, 0, tzinfo=ZONE)
    failed = await notifier.notify(invalid)
    assert (failed.status, failed.error_code) == ("failed", -108)
    assert failed.error == "Zalo says the phone number is invalid"
    api.expire_access_tokens()  # -124: refresh once, retry once
    clock.now = datetime(2026, 11, 25, 6, 0, tzinfo=ZONE).astimezone(UTC)
    assert await notifier.send_due() == 1
    assert [c.answer["error"] for c in api.calls_to("zns")] == [-133, -108, -124, 0]
    async with database.transaction() as session:
        notice = await result_notices.for_link(session, invalid)
        assert notice is not None and notice.attempts == 1


async def test_two_processes_sending_due_notices_send_each_once(
    database: Database, zalo_open_api: FakeZaloOpenAPI, clock: ManualClock
) -> None:
    links_ids = [(await make_link(database, f"HS-P{n}", "0912345678"))[0] for n in range(3)]
    clock.now = datetime(2026, 11, 24, 23, 0, tzinfo=ZONE).astimezone(UTC)
    first = notifier_for(database, zalo_open_api, clock)
    other_db = Database(database.url)
    second = notifier_for(other_db, zalo_open_api, clock)
    try:
        for link_id in links_ids:
            assert (await first.notify(link_id)).status == "waiting"
        clock.now = datetime(2026, 11, 25, 6, 0, tzinfo=ZONE).astimezone(UTC)
        sent = await asyncio.gather(first.send_due(), second.send_due())
    finally:
        await first.keeper.close()
        await second.keeper.close()
        await other_db.dispose()
    assert sum(sent) == 3
    assert sorted(c.body["tracking_id"] for c in zalo_open_api.calls_to("zns")) == sorted(
        tracking_id(link_id) for link_id in links_ids
    )


def test_night_ban_hours() -> None:
    at = lambda h, m: datetime(2026, 11, 24, h, m, tzinfo=ZONE)  # noqa: E731
    assert [in_night_ban(at(h, m), ZONE) for h, m in [(21, 59), (22, 0), (5, 59), (6, 0)]] == [
        False,
        True,
        True,
        False,
    ]
    assert next_morning(at(23, 0), ZONE) == datetime(2026, 11, 25, 6, 0, tzinfo=ZONE)
    assert next_morning(at(3, 0), ZONE) == at(6, 0)
    assert tracking_id(123456789) == "sipas-link-123456789"
