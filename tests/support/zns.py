"""Shared by the result-notice tests: the product's services with ZNS configured against the
fake Zalo OAuth/ZNS server, and what one ZNS call must carry."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.services import Services, build_services
from scheduler.clock import ManualClock
from storage.db import Database
from storage.repos import units
from tests.fakes.zalo_api import FakeZaloOpenAPI
from tests.support.environment import make_settings

TEMPLATE_ID = "250001"
UNIT_NAME = "UBND xã Hòa Thành"


def zns_env(api: FakeZaloOpenAPI) -> dict[str, str]:
    """Settings as a commune writes them ([zalo_oa] + [zalo_zns]), pointed at the fake."""
    return {
        "SIPAS__ZALO_OA__APP_ID": api.app_id,
        "SIPAS__ZALO_OA__APP_SECRET": api.app_secret,
        "SIPAS__ZALO_OA__OA_SECRET_KEY": "oa-secret",
        "SIPAS__ZALO_OA__REFRESH_TOKEN": "rt-0",
        "SIPAS__ZALO_OA__OAUTH_BASE_URL": api.url,
        "SIPAS__ZALO_OA__API_BASE_URL": api.url,
        "SIPAS__ZALO_ZNS__TEMPLATE_ID": TEMPLATE_ID,
        "SIPAS__ZALO_ZNS__BASE_URL": api.url,
    }


async def add_units(services: Services) -> None:
    async with services.db.transaction() as session:
        if await units.by_code(session, "TINH-TEST") is not None:
            return  # a second set of services on the same database
        await units.add(session, "TINH-TEST", "Tỉnh Thử nghiệm", now=services.now())
        await units.add(
            session, "XA-HOATHANH", UNIT_NAME, now=services.now(), parent_code="TINH-TEST"
        )


@asynccontextmanager
async def zns_services(
    database: Database, clock: ManualClock, port: int, api: FakeZaloOpenAPI | None
) -> AsyncIterator[Services]:
    """The product's services (ZNS on when ``api`` is given), units added, closed after."""
    env = zns_env(api) if api is not None else {}
    services = build_services(make_settings(database.url, port, **env), clock, database)
    await add_units(services)
    try:
        yield services
    finally:
        await services.close()


def assert_one_notice(api: FakeZaloOpenAPI, *, phone: str, dossier: str, token: str) -> None:
    """Exactly one ZNS call, accepted, carrying exactly what the template needs."""
    calls = api.calls_to("zns")
    assert len(calls) == 1, [c.body for c in calls]
    call = calls[0]
    assert call.ok, call.answer
    body: dict[str, Any] = call.body
    assert set(body) == {"phone", "template_id", "template_data", "tracking_id"}
    assert body["phone"] == phone
    assert body["template_id"] == TEMPLATE_ID
    data = body["template_data"]
    assert set(data) == {"dossier_code", "unit_name", "survey_url"}
    assert (data["dossier_code"], data["unit_name"]) == (dossier, UNIT_NAME)
    assert data["survey_url"].endswith(f"/s/{token}")
    tracking = body["tracking_id"]
    assert 1 <= len(tracking) <= 48
    assert token not in tracking
    assert call.headers["access_token"].startswith("at-")  # the OA's token, refreshed once
    assert call.headers["access_token"] not in str(body)
