"""``sipas-bot zalo-oa set-token --refresh-token-stdin``, run in-process."""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage.db import Database
from storage.repos import oa_tokens
from tests.support.cli import InProcessCli as Cli

APP = "1234567890"


def _fresh(tmp_path: Path) -> Cli:
    return Cli(env={"SIPAS__DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"})


def _configured(tmp_path: Path) -> Cli:
    cli = _fresh(tmp_path)
    cli.env.update(
        {
            "SIPAS__ZALO_OA__APP_ID": APP,
            "SIPAS__ZALO_OA__APP_SECRET": "app-secret",
            "SIPAS__ZALO_OA__OA_SECRET_KEY": "oa-secret",
        }
    )
    return cli


async def _stored(cli: Cli) -> tuple[str, str | None]:
    database = Database(cli.env["SIPAS__DATABASE__URL"])
    try:
        async with database.transaction() as session:
            row = await oa_tokens.load(session, APP)
            assert row is not None
            return row.refresh_token, row.last_error
    finally:
        await database.dispose()


def test_set_token_stores_the_token_and_never_prints_it(tmp_path: Path) -> None:
    cli = _configured(tmp_path)
    result = cli("zalo-oa", "set-token", "--refresh-token-stdin", stdin="rt-fresh-from-admin\n")
    assert result.returncode == 0, result.stderr
    assert "rt-fresh-from-admin" not in result.stdout + result.stderr
    assert asyncio.run(_stored(cli)) == ("rt-fresh-from-admin", None)


def test_set_token_errors_are_one_line(tmp_path: Path) -> None:
    empty = _configured(tmp_path)("zalo-oa", "set-token", "--refresh-token-stdin", stdin="\n")
    assert (empty.returncode, empty.stderr.splitlines()) == (
        1,
        ["sipas-bot: error: no refresh token on standard input"],
    )
    off = _fresh(tmp_path)("zalo-oa", "set-token", "--refresh-token-stdin", stdin="rt\n")
    assert off.returncode == 1
    assert off.stderr.splitlines() == [
        "sipas-bot: error: [zalo_oa] app_id is not set: configure the Official Account first"
    ]
