"""Databases for the benches: a migrated database with the default flows, one unit and
survey links, prepared before the product starts (as staff would have done), and the
throwaway PostgreSQL server."""

from __future__ import annotations

import asyncio
import subprocess
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from bench.product import ROOT
from bot.dossiers.links import new_token
from bot.flow_admin.catalog import publish_defaults
from scheduler.clock import system_clock
from storage.db import Database
from storage.models import Dossier, SurveyLink
from storage.repos import units

UNIT = "XA-BENCH"


async def prepare(db_url: str, links: int, *, fresh: bool = True) -> list[str]:
    """Migrate (a PostgreSQL schema is dropped first when ``fresh``), publish the default
    flows, add the bench unit and return ``links`` new survey link tokens."""
    database = Database(db_url)
    if fresh and database.dialect == "postgresql":
        async with database.engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await database.migrate()
    now = system_clock()
    async with database.transaction() as session:
        await publish_defaults(session, now)
        unit = await units.by_code(session, UNIT)
        if unit is None:
            unit = await units.add(session, UNIT, "UBND xã Bench", now=now)
        tokens = await _bulk_links(session, unit.id, links, now)
    await database.dispose()
    return tokens


async def _bulk_links(session: AsyncSession, unit_id: int, count: int, now: datetime) -> list[str]:
    """``count`` dossiers with a link each, in two multi-row inserts (creating them one by
    one through the link service took minutes under load); tokens as the product makes."""
    if not count:
        return []
    first = 1 + int(await session.scalar(select(func.count()).select_from(SurveyLink)) or 0)
    numbers = range(first, first + count)
    tokens = [new_token() for _ in numbers]
    await session.execute(
        insert(Dossier),
        [{"unit_id": unit_id, "code": f"HS-BENCH-{n}", "created_at": now} for n in numbers],
    )
    rows = await session.execute(
        select(Dossier.code, Dossier.id).where(Dossier.code.like("HS-BENCH-%"))
    )
    ids = {code: number for code, number in rows}
    await session.execute(
        insert(SurveyLink),
        [
            {"token": token, "short_code": f"B{n:07d}", "dossier_id": ids[f"HS-BENCH-{n}"],
             "unit_id": unit_id, "form": "citizen", "created_by": "bench", "created_at": now,
             "expires_at": now + timedelta(days=14)}
            for n, token in zip(numbers, tokens, strict=True)
        ],
    )  # fmt: skip
    return tokens


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
