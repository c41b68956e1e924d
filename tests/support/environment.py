"""The test environment every kind of test builds on: the instant the clocks start at, free
ports, settings as the product reads them, and freshly migrated databases.

Kept out of conftest.py so test files and helpers import ordinary functions from an ordinary
module (conftest.py builds its fixtures from these).
"""

from __future__ import annotations

import socket
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
