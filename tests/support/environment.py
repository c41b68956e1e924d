"""The test environment every kind of test builds on: the instant the clocks start at, free
ports, settings as the product reads them, and freshly migrated databases.

Kept out of conftest.py so test files and helpers import ordinary functions from an ordinary
module (conftest.py builds its fixtures from these).
"""

from __future__ import annotations

import asyncio
import atexit
import os
import shutil
import socket
import sqlite3
import tempfile
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text

from bot.flow_admin.catalog import publish_defaults
from bot.settings import Settings, load_settings
from storage.db import Database

# Tuesday 24/11/2026, 09:00 in Hà Nội (02:00 UTC).
START = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
SETTINGS_FILE = Path(__file__).parent.parent.parent / "settings.toml"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def make_settings(db_url: str, port: int, **env: str) -> Settings:
    """The repository's settings.toml with the database, the port and ``env`` overrides
    (``too_fast`` is switched off: see below)."""
    environ = {
        "SIPAS__DATABASE__URL": db_url,
        "SIPAS__WEB__PORT": str(port),
        "SIPAS__WEB__PUBLIC_URL": f"http://127.0.0.1:{port}",
        # Tests answer on a manual clock, in no time at all: too_fast is off unless asked for.
        "SIPAS__INTEGRITY__MIN_SECONDS_PER_ANSWER": "0",
        # Tests never write a key file into the working directory.
        "SIPAS__WEB__SECRET_KEY": "a-test-signing-key-never-used-in-production",
        **env,
    }
    return load_settings(SETTINGS_FILE, environ)


async def fresh_database(url: str) -> Database:
    """A migrated, empty database with the default flows published.

    Migrating and publishing take about half a second, paid by most of the suite's tests, so
    the first database of a test process is built the slow way and kept as a template: a new
    SQLite file is a copy of it, and a PostgreSQL schema whose tables and columns are still
    the template's is emptied instead of dropped (anything else, say a test that dropped a
    table, is rebuilt from the migrations)."""
    database = Database(url)
    if database.dialect == "sqlite":
        await _sqlite_from_template(database)
    else:
        await _postgres_reset(database)
    return database


async def _build(database: Database) -> None:
    await database.migrate()
    async with database.transaction() as session:
        await publish_defaults(session, START)


_sqlite_template: Path | None = None


async def _sqlite_from_template(database: Database) -> None:
    global _sqlite_template
    target = database.engine.url.database
    if not target or await asyncio.to_thread(os.path.exists, target):  # migrated in place
        await _build(database)
        return
    if _sqlite_template is None:
        folder = tempfile.mkdtemp(prefix="sipas-template-")
        atexit.register(shutil.rmtree, folder, True)
        template = Path(folder) / "template.sqlite3"
        built = Database(f"sqlite+aiosqlite:///{template}")
        await _build(built)
        await built.dispose()
        _sqlite_template = template
    await asyncio.to_thread(_copy, _sqlite_template, target)


def _copy(template: Path, target: str) -> None:
    with closing(sqlite3.connect(template)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)  # a consistent copy, WAL or not


_postgres_shape: str | None = None
_postgres_stamp: str | None = None

# The tables, columns and types of the public schema; then the migration it is stamped with.
SHAPE = text(
    "SELECT string_agg(table_name || '.' || column_name || ':' || data_type, ',' "
    "ORDER BY table_name, column_name) FROM information_schema.columns "
    "WHERE table_schema = 'public'"
)
STAMP = text("SELECT string_agg(version_num, ',') FROM alembic_version")


async def _postgres_reset(database: Database) -> None:
    global _postgres_shape, _postgres_stamp
    if _postgres_shape is not None:
        async with database.engine.begin() as connection:
            same = (await connection.execute(SHAPE)).scalar() == _postgres_shape
            if same:
                same = (await connection.execute(STAMP)).scalar() == _postgres_stamp
            if same:
                names = (
                    await connection.execute(
                        text(
                            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                            "AND tablename <> 'alembic_version'"
                        )
                    )
                ).scalars()
                tables = ", ".join(f'"{name}"' for name in names)
                await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
                emptied = True
            else:
                emptied = False
        if emptied:
            async with database.transaction() as session:
                await publish_defaults(session, START)
            return
    async with database.engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))
    await _build(database)
    async with database.engine.connect() as connection:
        _postgres_shape = (await connection.execute(SHAPE)).scalar()
        _postgres_stamp = (await connection.execute(STAMP)).scalar()
