"""Shared fixtures: a real SQLite file and (when available) a real PostgreSQL server, the
product's services on a manual clock, and a real aiohttp server on 127.0.0.1.

PostgreSQL cases need SIPAS_TEST_POSTGRES_URL (``.ci/run`` starts a throwaway cluster and sets
it); without it they are skipped with a reason, unless SIPAS_REQUIRE_POSTGRES=1 (CI), where a
missing server fails the run instead of silently skipping.
"""

from __future__ import annotations

import os
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import text

from bot.flow_admin.catalog import publish_defaults
from bot.services import Services, build_services
from bot.settings import load_settings
from bot.web.server import build_app
from scheduler.clock import ManualClock
from storage.db import Database
from storage.repos import units

POSTGRES_URL = os.environ.get("SIPAS_TEST_POSTGRES_URL", "")
REQUIRE_POSTGRES = os.environ.get("SIPAS_REQUIRE_POSTGRES") == "1"
# Tuesday 24/11/2026, 09:00 in Hà Nội (02:00 UTC).
START = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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


async def fresh_database(url: str) -> Database:
    """A migrated, empty database with the default flows published."""
    database = Database(url)
    if database.dialect == "postgresql":
        async with database.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await database.migrate()
    async with database.transaction() as session:
        await publish_defaults(session, START)
    return database


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


def make_settings(db_url: str, port: int, **env: str):  # type: ignore[no-untyped-def]
    environ = {
        "SIPAS__DATABASE__URL": db_url,
        "SIPAS__WEB__PORT": str(port),
        "SIPAS__WEB__PUBLIC_URL": f"http://127.0.0.1:{port}",
        **env,
    }
    return load_settings(Path(__file__).parent.parent / "settings.toml", environ)


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
    runner = web.AppRunner(build_app(services), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


from tests.browser import page  # noqa: E402,F401  (the fixture, for browser tests)
from tests.telegram_bench import tg, tg_api  # noqa: E402,F401
from tests.zalo_bench import zalo  # noqa: E402,F401
from tests.zalo_fixtures import zalo_bot_api, zalo_open_api  # noqa: E402,F401
