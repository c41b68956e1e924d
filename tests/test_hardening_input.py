"""Audit finding "fuzzed input": malformed bodies get a 4xx with a clear body (JSON on the
API) and a log line, never a 500; a Telegram update that cannot be handled is acknowledged
and parked, never re-delivered into a loop. The property-based fuzzers are in
test_hardening_fuzz.py."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import aiohttp
import pytest

from bot.services import Services
from bot.staff import api_keys
from scheduler.clock import ManualClock
from storage.repos import audit
from tests.fakes.telegram_api import FakeTelegramAPI
from tests.support.staff import StaffClient, add_staff
from tests.support.telegram_bench import Bench, start_bench


@pytest.fixture
async def webhook(
    tg_api: FakeTelegramAPI, services: Services, clock: ManualClock, port: int
) -> AsyncIterator[Bench]:
    bench = await start_bench(tg_api, services.db, clock, port, "webhook")
    yield bench
    await bench.stop()


async def post_api(server: str, key: str, body: bytes) -> tuple[int, dict]:  # type: ignore[type-arg]
    headers = {"X-API-Key": key, "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(f"{server}/api/v1/dossiers", data=body, headers=headers) as response,
    ):
        return response.status, await response.json()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (b'{"dossier_code": ' + b"9" * 5000 + b"}", 400),
        (b'{"dossier_code": "HS-1", "x": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", 400),
        (b'{"dossier_code": "HS-1", "x": ' + b'{"a":' * 5000 + b"1" + b"}" * 5000 + b"}", 400),
        (b'{"dossier_code": "HS\\u0000-1"}', 422),
        (b'{"dossier_code": "HS-1", "phone": "0912\\u0000345678"}', 422),
    ],
)
async def test_malformed_api_bodies_get_a_clear_4xx(
    services: Services,
    server: str,
    body: bytes,
    status: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    key = (await api_keys.issue(services.db, "XA-HOATHANH", now=services.now())).key
    caplog.set_level(logging.INFO)
    answered, data = await post_api(server, key, body)
    assert answered == status, data
    assert data["error"]["code"] and data["error"]["message"]
    assert any(str(status) in record.getMessage() for record in caplog.records)


async def test_a_nul_byte_in_a_procedure_is_dropped_not_a_503(
    services: Services, server: str
) -> None:
    key = (await api_keys.issue(services.db, "XA-HOATHANH", now=services.now())).key
    body = b'{"dossier_code": "HS-1", "procedure": "Khai\\u0000 sinh"}'
    answered, data = await post_api(server, key, body)
    assert answered == 201, data


@pytest.mark.parametrize("days", ["²", "١٢", "9" * 5000, "-1", "1e3"])
async def test_bad_settings_values_get_a_422(services: Services, server: str, days: str) -> None:
    await add_staff(services, "admin", "admin", None)
    async with StaffClient(server) as admin:
        await admin.login("admin")
        await admin.get("/staff/admin/settings")
        status, _ = await admin.post("/staff/admin/settings", {"expire_days": days})
    assert status == 422


async def test_a_deeply_nested_flow_file_gets_a_422(services: Services, server: str) -> None:
    await add_staff(services, "admin", "admin", None)
    source = "[meta]\nx = " + "[" * 5000 + "]" * 5000 + "\n"
    async with StaffClient(server) as admin:
        await admin.login("admin")
        await admin.get("/staff/admin/flows")
        status, body = await admin.post("/staff/admin/flows/upload", {"source": source})
    assert status == 422, body[:300]


async def test_a_poison_update_is_acknowledged_and_parked(
    webhook: Bench, tg_api: FakeTelegramAPI, services: Services
) -> None:
    """An update the database refuses (a chat id longer than any column) is answered 200 and
    parked in the audit log; delivering it again changes nothing and is still 200."""
    user = tg_api.user(10**130)
    update = user.send_command("start", await webhook.link())
    for _ in range(2):
        status, _ = await tg_api.deliver(
            update, webhook.webhook_url, str(tg_api.webhook["secret_token"])
        )
        assert status == 200
    if services.db.dialect == "postgresql":  # SQLite keeps any length: nothing to park
        assert await parked(services) == 2
    assert await webhook.push(tg_api.user(4242).send_text("xin chào")) == 200


@pytest.mark.parametrize(
    "body",
    [
        {"update_id": "x"},
        {"update_id": 1, "message": "text"},
        {"update_id": 1, "message": {"chat": 5}},
        {"update_id": 1, "callback_query": {"id": 1, "from": None, "data": 3}},
        {"update_id": 1, "message": {"message_id": [], "date": "x"}},
        {"update_id": -1, "edited_message": {"text": {"a": 1}}},
    ],
)
async def test_webhook_bodies_that_are_not_updates_get_400_or_200(
    webhook: Bench,
    tg_api: FakeTelegramAPI,
    body: dict,  # type: ignore[type-arg]
) -> None:
    status, _ = await tg_api.deliver(body, webhook.webhook_url, str(tg_api.webhook["secret_token"]))
    assert status in (200, 400)


async def parked(services: Services) -> int:
    async with services.db.transaction() as session:
        return len(await audit.entries(session, "update.parked"))


async def test_a_nul_byte_in_a_form_or_query_is_a_400_not_a_503(
    services: Services, server: str, caplog: pytest.LogCaptureFixture
) -> None:
    """PostgreSQL refuses NUL in text: refused up front, with a clear answer and a log line."""
    await add_staff(services, "admin", "admin", None)
    caplog.set_level(logging.INFO)
    async with StaffClient(server) as admin:
        await admin.login("admin")
        await admin.get("/staff/admin/units")
        form = {"code": "XA-MOI", "name": "UBND\x00 xã Mới", "parent": "TINH-TEST"}
        status, body = await admin.post("/staff/admin/units", form)
        assert status == 400 and "NUL" in body
        status, body = await admin.get("/staff/admin/units/XA%00HOATHANH")
        assert status == 400
    assert any("NUL" in record.getMessage() for record in caplog.records)
