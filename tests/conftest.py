"""Shared fixtures: a real SQLite file and (when available) a real PostgreSQL server, the
product's services on a manual clock, and a real aiohttp server on 127.0.0.1.

PostgreSQL cases need SIPAS_TEST_POSTGRES_URL (``.ci/run`` starts a throwaway cluster and sets
it); without it they are skipped with a reason, unless SIPAS_REQUIRE_POSTGRES=1 (CI), where a
missing server fails the run instead of silently skipping.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.services import Services, build_services
from scheduler.clock import ManualClock
from storage.db import Database
from storage.repos import units
from tests.support.environment import START, free_port, fresh_database, make_settings
from tests.support.servers import serving

POSTGRES_URL = os.environ.get("SIPAS_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("SIPAS_REQUIRE_POSTGRES") == "1"


def _backend_params() -> list[object]:
    return [
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgresql),
    ]


@pytest.fixture(params=_backend_params())
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'sipas.sqlite3'}"
    if not POSTGRES_URL:
        if REQUIRE_POSTGRES:
            pytest.fail("SIPAS_REQUIRE_POSTGRES=1 but SIPAS_TEST_POSTGRES_URL is not set")
        pytest.skip("no PostgreSQL server: set SIPAS_TEST_POSTGRES_URL (see .ci/run)")
    return POSTGRES_URL


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'sipas.sqlite3'}"


@pytest.fixture
async def database(db_url: str) -> AsyncIterator[Database]:
    database = await fresh_database(db_url)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def port() -> int:
    return free_port()


@pytest.fixture
async def services(database: Database, clock: ManualClock, port: int) -> Services:
    settings = make_settings(database.url, port)
    services = build_services(settings, clock, database)
    services.outbox.retry_delay = 0  # a failing fake platform is retried at once
    async with database.transaction() as session:
        await units.add(session, "TINH-TEST", "Tỉnh Thử nghiệm", now=clock())
        await units.add(
            session,
            "XA-HOATHANH",
            "UBND xã Hòa Thành",
            now=clock(),
            parent_code="TINH-TEST",
            annual_dossiers=10450,
        )
    return services


@pytest.fixture
async def server(services: Services, port: int) -> AsyncIterator[str]:
    """The real web application on 127.0.0.1; yields its base URL."""
    async with serving(services, port) as url:
        yield url


# Fixtures defined next to their helpers in tests/support/, made visible to every test here.
from tests.support.browser import page  # noqa: E402,F401
from tests.support.telegram_bench import tg, tg_api  # noqa: E402,F401
from tests.support.zalo_bench import zalo  # noqa: E402,F401
from tests.support.zalo_fixtures import zalo_bot_api, zalo_open_api  # noqa: E402,F401
