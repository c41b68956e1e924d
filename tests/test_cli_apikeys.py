"""``sipas-bot apikeys`` as an IT officer runs it (in-process through ``bot.cli.main``) on a
temporary SQLite settings file, then the key it printed used against the real API."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
import pytest

from bot.app import prepare
from scheduler.clock import ManualClock
from storage.repos import units
from tests.support.cli import InProcessCli
from tests.support.environment import free_port, fresh_database, make_settings
from tests.support.servers import serving as serving_services


@asynccontextmanager
async def serving(db_url: str) -> AsyncIterator[str]:
    """The product's web server in this process, on the database the CLI wrote."""
    port = free_port()
    services = await prepare(make_settings(db_url, port))
    try:
        async with serving_services(services, port) as url:
            yield url
    finally:
        await services.db.dispose()


@pytest.fixture
async def cli(tmp_path: Path, clock: ManualClock) -> InProcessCli:
    """Runs ``sipas-bot --config <temp settings> ...`` on a SQLite file with one unit."""
    settings = tmp_path / "settings.toml"
    settings.write_text('[locale]\nlanguage = "vi"\n', encoding="utf-8")
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'sipas.sqlite3'}"
    database = await fresh_database(db_url)
    async with database.transaction() as session:
        await units.add(session, "XA-HOATHANH", "UBND xã Hòa Thành", now=clock())
    await database.dispose()
    return InProcessCli(settings, {"SIPAS__DATABASE__URL": db_url})


def test_create_prints_the_key_once_and_stores_only_its_hash(
    cli: InProcessCli, tmp_path: Path
) -> None:
    done = cli("apikeys", "create", "--unit", "XA-HOATHANH", "--json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"key", "unit", "prefix"}
    assert data["unit"] == "XA-HOATHANH"
    assert data["key"].startswith("sk_") and len(data["key"]) >= 40
    assert data["key"].startswith(data["prefix"]) and data["prefix"] != data["key"]
    stored = (tmp_path / "sipas.sqlite3").read_bytes()
    assert data["key"].encode() not in stored

    listed = cli("apikeys", "list", "--unit", "XA-HOATHANH", "--json")
    assert listed.returncode == 0, listed.stderr
    assert [(k["prefix"], k["revoked"]) for k in json.loads(listed.stdout)] == [
        (data["prefix"], False)
    ]
    assert data["key"] not in listed.stdout


def test_plain_output_shows_the_key_and_a_warning(cli: InProcessCli) -> None:
    done = cli("apikeys", "create", "--unit", "XA-HOATHANH")
    assert done.returncode == 0, done.stderr
    key, note = done.stdout.splitlines()
    assert key.startswith("sk_") and "not shown again" in note


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("apikeys", "create", "--unit", "KHONG-CO"), "unknown unit 'KHONG-CO'"),
        (("apikeys", "list", "--unit", "KHONG-CO"), "unknown unit 'KHONG-CO'"),
        (("apikeys", "revoke", "sk_nothing"), "no active API key with prefix 'sk_nothing'"),
    ],
)
def test_user_errors_are_one_line_and_exit_1(
    cli: InProcessCli, args: tuple[str, ...], says: str
) -> None:
    done = cli(*args)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"sipas-bot: error: {says}"]


def test_wrong_usage_exits_2(cli: InProcessCli) -> None:
    done = cli("apikeys", "create")
    assert done.returncode == 2
    assert "--unit" in done.stderr


async def test_the_printed_key_works_until_revoked(cli: InProcessCli, tmp_path: Path) -> None:
    created = await cli.in_thread("apikeys", "create", "--unit", "XA-HOATHANH", "--json")
    key = json.loads(created.stdout)
    db_url = f"sqlite+aiosqlite:///{tmp_path / 'sipas.sqlite3'}"
    async with serving(db_url) as base, aiohttp.ClientSession() as http:
        headers = {"X-API-Key": key["key"]}
        body = {"dossier_code": "HS-1"}
        async with http.post(f"{base}/api/v1/dossiers", json=body, headers=headers) as response:
            assert response.status == 201
            assert (await response.json())["unit"] == "XA-HOATHANH"
        assert (await cli.in_thread("apikeys", "revoke", key["prefix"])).returncode == 0
        async with http.post(f"{base}/api/v1/dossiers", json=body, headers=headers) as response:
            assert response.status == 401
    listed_out = await cli.in_thread("apikeys", "list", "--unit", "XA-HOATHANH", "--json")
    listed = json.loads(listed_out.stdout)
    assert [k["revoked"] for k in listed] == [True]
