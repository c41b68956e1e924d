"""The database handle: engine, sessions, migrations and a health check.

SQLite gets WAL mode, foreign keys and a busy timeout on every connection so that the web
server, the channels and the scheduler can share one file safely.
"""

from __future__ import annotations

import asyncio
import logging
import random
import sqlite3
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError, OperationalError
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.driver import DriverQuery

if TYPE_CHECKING:
    import aiosqlite
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# The newest migration (storage/migrations/versions). A database stamped with it needs no
# migrating, so starting up asks for its stamp and loads Alembic only when it differs; a test
# checks that this is Alembic's head.
SCHEMA_HEAD = "month01"
log = logging.getLogger(__name__)


class DatabaseUnavailable(Exception):
    """The database could not be reached; callers answer kindly and lose nothing."""


# PostgreSQL's "try the transaction again" answers: serialization_failure, deadlock_detected.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})
RETRIES = 3  # attempts after the first one
T = TypeVar("T")


def is_retryable(error: BaseException) -> bool:
    """Whether ``error`` says the transaction lost a race and may simply run again."""
    original = getattr(error, "orig", None) or error
    return getattr(original, "sqlstate", None) in RETRYABLE_SQLSTATES


def is_driver_error(error: BaseException) -> bool:
    """Whether ``error`` came from the database or the way to it (not from our code), when
    the driver is called directly (``Database.fetch_one``); asyncpg is not imported for it."""
    return isinstance(error, sqlite3.Error | OSError) or type(error).__module__.startswith(
        "asyncpg"
    )


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, open transactions (see _sqlite_begin).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _foreign_keys(connection: Any, on: bool) -> None:
    """Switch SQLite's foreign keys on the connection's driver connection, outside any
    transaction (SQLite ignores the pragma inside one)."""
    cursor = connection.connection.dbapi_connection.cursor()
    cursor.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
    cursor.close()


def _check_foreign_keys(connection: Any) -> None:
    """After migrating with foreign keys off: no row may point at nothing."""
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise RuntimeError(f"migration left {len(broken)} broken references, e.g. {broken[0]}")


READ_ONLY = "sipas_read_only"  # execution option of the connections ``Database.read`` uses
BUSY_SECONDS = 10.0  # as PRAGMA busy_timeout: how long a writer waits for the write lock


def _sqlite_begin(connection: Any) -> None:
    # A writing transaction takes the write lock up front: a turn reads then writes, and a
    # deferred transaction would fail with "database is locked" instead of waiting when two
    # turns race. A read-only one (``Database.read``) begins deferred: in WAL mode readers
    # never wait for the writer, nor hold it up.
    if connection.get_execution_options().get(READ_ONLY):
        connection.exec_driver_sql("BEGIN")
    else:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


# A pooled PostgreSQL connection idle longer than this is checked before use (see _ping_idle).
IDLE_PING_SECONDS = 2.0


def _mark_idle(_dbapi_connection: Any, record: Any) -> None:
    record.info["idle_since"] = time.monotonic()


def _ping_idle(engine: AsyncEngine) -> Callable[[Any, Any, Any], None]:
    """Check a pooled connection before use only when it sat idle for a while. SQLAlchemy's
    ``pool_pre_ping`` checked every checkout, and on asyncpg a check is three round trips
    (BEGIN, a no-op, ROLLBACK): under load that was two of every five round trips of a web
    answer. A connection in steady use is known to be alive; one that broke between uses
    (a PostgreSQL restart) is replaced here, and one that breaks in use is invalidated by
    SQLAlchemy and the turn runs again (``Conversation.turn``)."""

    def check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("a pooled connection did not answer") from exc

    return check


def create_engine(url: str, **options: Any) -> AsyncEngine:
    """The engine; its errors never quote statement parameters (tokens, chat ids, phone
    numbers), since their text ends up in log lines."""
    options.setdefault("hide_parameters", True)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, **options)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin)
        return engine
    options.setdefault("pool_size", 10)
    engine = create_async_engine(url, **options)
    if not options.get("pool_pre_ping"):
        event.listen(engine.sync_engine.pool, "checkin", _mark_idle)
        event.listen(engine.sync_engine.pool, "checkout", _ping_idle(engine))
    return engine


def alembic_config(connection: Any | None = None) -> Config:
    from alembic.config import Config  # imported when migrating: a CLI command may not need it

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


class Database:
    """One engine and its session factory, created once and passed down explicitly."""

    def __init__(self, url: str, **options: Any) -> None:
        self.url = url
        self.engine = create_engine(url, **options)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)
        # SQLite has one writer at a time. Its busy handler lets waiting connections poll
        # with growing sleeps, in no order: under load some writers waited seconds while
        # others went first. Writers of this process queue here instead, first come first
        # served; the busy timeout still covers other processes.
        self._writers = asyncio.Lock() if self.dialect == "sqlite" else None
        self._writer: asyncio.Task[Any] | None = None  # the task holding the turn
        # SQLite file databases: one connection of our own for single reads (fetch_one).
        database = make_url(url).database if self.dialect == "sqlite" else None
        self._reader_path = database if database and database != ":memory:" else None
        self._reader: asyncio.Future[aiosqlite.Connection] | None = None

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    async def migrate(self) -> None:
        """Apply pending Alembic migrations (idempotent). An up-to-date database costs one
        query: Alembic and its scripts take a few hundred milliseconds of every start."""
        if await self.stamp() == SCHEMA_HEAD:
            return
        from alembic import command

        await self.run_alembic(lambda config: command.upgrade(config, "head"))

    async def stamp(self) -> str | None:
        """The migration the database is stamped with; None for a new (or unreadable) one,
        which the migration itself then creates (or reports)."""
        try:
            async with self.engine.connect() as connection:
                found = await connection.execute(text("SELECT version_num FROM alembic_version"))
                stamps = found.scalars().all()
        except DBAPIError:
            return None
        return stamps[0] if len(stamps) == 1 else None

    async def run_alembic(self, work: Callable[[Config], object]) -> None:
        """Run Alembic commands (``work`` gets the config) in one transaction, serialized
        between processes; on SQLite with foreign keys off meanwhile, so that a batch ALTER
        can rebuild a table that other rows point at, and checked before committing."""
        from storage.locks import serialize  # locks needs this module's Database

        sqlite = self.dialect == "sqlite"
        async with self.engine.connect() as connection:
            if sqlite:
                await connection.run_sync(_foreign_keys, False)
            try:
                async with connection.begin():
                    await serialize(connection, "migrations")  # two processes starting at once
                    await connection.run_sync(lambda sync: work(alembic_config(sync)))
                    if sqlite:
                        await connection.run_sync(_check_foreign_keys)
            finally:
                if sqlite:
                    await connection.run_sync(_foreign_keys, True)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session in a transaction: committed on success, rolled back on any error."""
        async with self._write_turn(), self.sessions() as session, session.begin():
            yield session

    async def retrying(self, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
        """``work`` in a transaction, run again (up to ``RETRIES`` times, after a short random
        pause) when PostgreSQL ends it with a serialization failure or a deadlock: the
        transaction was rolled back whole, so running it again is safe. ``work`` must not
        have effects outside the database before it returns."""
        for attempt in range(RETRIES + 1):
            try:
                async with self.transaction() as session:
                    return await work(session)
            except DBAPIError as exc:
                if attempt == RETRIES or not is_retryable(exc):
                    raise
                log.info("transaction retried after %s", type(exc.orig).__name__)
                await asyncio.sleep(random.uniform(0.005, 0.05) * (attempt + 1))
        raise AssertionError("unreachable")

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for reads only (page loads): on SQLite it neither takes nor waits for
        the write lock. Writing in it fails on SQLite when another writer is active."""
        async with self.sessions() as session, session.begin():
            await session.connection(execution_options={READ_ONLY: True})
            yield session

    async def fetch_one(self, query: DriverQuery, params: dict[str, Any]) -> tuple[Any, ...] | None:
        """The first row of ``query`` (None: no row), read straight from the driver without
        a transaction: for single SELECTs on hot paths (see ``storage.driver``). Raises
        DatabaseUnavailable when the database does not answer; a broken pooled connection is
        dropped and the read tried once more on a fresh one."""
        compiled = query.compiled(self.engine.dialect)
        arguments = compiled.arguments(params)
        for attempt in range(2):
            try:
                raw = await self._fetch_raw(compiled.sql, arguments)
            except Exception as exc:
                if not is_driver_error(exc):
                    raise
                if attempt == 1 or isinstance(exc, sqlite3.Error):
                    raise DatabaseUnavailable(f"{type(exc).__name__}: {exc}") from exc
                continue
            return None if raw is None else compiled.row(raw)
        raise AssertionError("unreachable")

    async def _fetch_raw(self, sql: str, arguments: list[Any]) -> Any:
        if self._reader_path is not None:
            reader = await self._sqlite_reader()
            rows = await reader.execute_fetchall(sql, arguments)
            return next(iter(rows), None)
        async with self.engine.connect() as connection:
            pooled = await connection.get_raw_connection()
            driver: Any = pooled.driver_connection
            try:
                if self.dialect == "sqlite":  # an in-memory database: the pool's one
                    cursor = await driver.execute(sql, arguments)
                    try:
                        return await cursor.fetchone()
                    finally:
                        await cursor.close()
                return await driver.fetchrow(sql, *arguments)
            except Exception as exc:
                if is_driver_error(exc) and not isinstance(exc, sqlite3.Error):
                    await connection.invalidate()  # a broken connection: not pooled again
                raise

    async def _sqlite_reader(self) -> aiosqlite.Connection:
        """The reader connection, opened on first use: in autocommit mode (each SELECT sees
        the last commit, WAL readers never wait for the writer) and read-only."""
        opening = self._reader
        if opening is None or (opening.done() and (opening.cancelled() or opening.exception())):
            opening = self._reader = asyncio.ensure_future(self._open_reader())  # (again)
        return await asyncio.shield(opening)

    async def _open_reader(self) -> aiosqlite.Connection:
        import aiosqlite

        assert self._reader_path is not None
        reader = await aiosqlite.connect(self._reader_path, isolation_level=None)
        try:
            await reader.execute(f"PRAGMA busy_timeout={int(BUSY_SECONDS * 1000)}")
            await reader.execute("PRAGMA query_only=ON")
        except BaseException:
            await reader.close()  # its thread too
            raise
        return reader

    @asynccontextmanager
    async def _write_turn(self) -> AsyncIterator[None]:
        """This process's writers take turns, first come first served. A task that already
        holds the turn and opens a second transaction goes on (as SQLite's own lock lets a
        transaction that has not written yet be overtaken) instead of waiting for itself."""
        me = asyncio.current_task()
        if self._writers is None or (me is not None and self._writer is me):
            yield
            return
        try:
            async with asyncio.timeout(BUSY_SECONDS):
                await self._writers.acquire()
        except TimeoutError:
            locked = TimeoutError("database is locked")
            raise OperationalError("BEGIN IMMEDIATE", None, locked) from None
        self._writer = me
        try:
            yield
        finally:
            self._writer = None
            self._writers.release()

    @asynccontextmanager
    async def connect(self) -> AsyncIterator[AsyncConnection]:
        async with self.engine.connect() as connection:
            yield connection

    async def ping(self) -> bool:
        """Whether the database answers; a second try on a fresh connection when the pooled
        one had died (the first failure invalidates it)."""
        for _ in range(2):
            try:
                async with self.engine.connect() as connection:
                    await connection.execute(text("SELECT 1"))
                return True
            except Exception:  # any failure means "not now"
                continue
        return False

    async def dispose(self) -> None:
        reader, self._reader = self._reader, None
        if reader is not None:
            try:
                await (await reader).close()
            except Exception:  # it never opened: nothing to close
                pass
        await self.engine.dispose()
