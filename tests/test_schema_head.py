"""Starting up on an up-to-date database asks for its stamp and nothing else: Alembic is
loaded only when the stamp differs from the newest migration, which ``SCHEMA_HEAD`` must name."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from storage.db import SCHEMA_HEAD, Database, alembic_config
from tests.support.cli import ROOT


def test_schema_head_is_the_newest_migration() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD


async def test_an_older_stamp_is_migrated_to_the_head(database: Database) -> None:
    def down(config: Config) -> None:
        command.downgrade(config, "desks01")

    await database.run_alembic(down)
    assert await database.stamp() == "desks01"
    await database.migrate()
    assert await database.stamp() == SCHEMA_HEAD


async def test_a_new_database_has_no_stamp_until_migrated(tmp_path: Path) -> None:
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'new.sqlite3'}")
    try:
        assert await database.stamp() is None
        await database.migrate()
        assert await database.stamp() == SCHEMA_HEAD
    finally:
        await database.dispose()


async def _migrate(url: str) -> None:
    database = Database(url)
    await database.migrate()
    await database.dispose()


def test_an_up_to_date_database_starts_without_alembic(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'current.sqlite3'}"
    asyncio.run(_migrate(url))
    probe = (
        "import asyncio, json, sys\n"
        "from storage.db import Database\n"
        "async def start():\n"
        f"    database = Database({url!r})\n"
        "    await database.migrate()\n"
        "    await database.dispose()\n"
        "asyncio.run(start())\n"
        "print(json.dumps(sorted(name for name in sys.modules if name.startswith('alembic'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []
