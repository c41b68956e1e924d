"""Databases for the benches: a migrated database with the default flows, one unit and
survey links, prepared before the product starts (as staff would have done)."""

from __future__ import annotations

import asyncio
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from bench.product import ROOT, UNIT, product_env
from bot.flow_admin.catalog import publish_defaults
from bot.services import build_services
from bot.settings import load_settings
from scheduler.clock import system_clock
from storage.db import Database
from storage.repos import units


async def prepare(db_url: str, links: int, *, fresh: bool = True) -> list[str]:
    """Migrate (a PostgreSQL schema is dropped first when ``fresh``), publish the default
    flows, add the bench unit and return ``links`` new survey link tokens."""
    database = Database(db_url)
    if fresh and database.dialect == "postgresql":
        async with database.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await database.migrate()
    async with database.transaction() as session:
        await publish_defaults(session, system_clock())
        if await units.by_code(session, UNIT) is None:
            await units.add(session, UNIT, "UBND xã Bench", now=system_clock())
    settings = load_settings(ROOT / "settings.toml", product_env(db_url, 8080))
    services = build_services(settings, system_clock, database)
    tokens = []
    start = await _next_number(database)
    for number in range(start, start + links):
        info = await services.links.create(unit_code=UNIT, dossier_code=f"HS-BENCH-{number}")
        tokens.append(info.link.token)
    await database.dispose()
    return tokens


async def _next_number(database: Database) -> int:
    async with database.transaction() as session:
        return int(await session.scalar(text("SELECT count(*) FROM survey_links")) or 0)


def sqlite_url(folder: Path, name: str = "bench.sqlite3") -> str:
    return f"sqlite+aiosqlite:///{folder / name}"


@dataclass
class Postgres:
    """A throwaway PostgreSQL cluster (scripts/throwaway-postgres), stopped by ``stop``."""

    url: str
    folder: Path

    @classmethod
    def start(cls) -> Postgres | None:
        out = subprocess.run(
            [str(ROOT / "scripts" / "throwaway-postgres")],
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        values = dict(
            line.removeprefix("export ").split("=", 1)
            for line in out.splitlines()
            if line.startswith("export ")
        )
        if "SIPAS_TEST_POSTGRES_URL" not in values:
            return None
        return cls(values["SIPAS_TEST_POSTGRES_URL"], Path(values["SIPAS_TEST_POSTGRES_DIR"]))

    def _ctl(self, *args: str) -> None:
        binary = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
        command = [str(binary), "-D", str(self.folder / "data"), *args]
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            capture_output=True,
            check=True,
        )

    def restart(self) -> None:
        """Fast shutdown then start again (connections are cut, as on a server restart)."""
        self._ctl("-l", str(self.folder / "server.log"), "-w", "-m", "fast", "restart")

    async def restart_async(self) -> None:
        await asyncio.to_thread(self.restart)

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def version(self) -> str:
        binary = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))[-1]
        return subprocess.run(
            [str(binary), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()
