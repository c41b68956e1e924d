"""Process-wide exclusive locks that die with their holder: "only one scheduler at a time".

A lock is held for the life of a process and must be released by the operating system or the
database when that process dies (crash, ``kill -9``, lost machine), without any heartbeat to
tune, so that a standby process can take over at once:

- PostgreSQL: a session-level ``pg_try_advisory_lock`` on a dedicated connection. The server
  releases it when the connection closes, which it does when the process dies.
- SQLite: an OS file lock (``flock``) on a file beside the database file. The kernel releases
  it when the process dies. SQLite serves one machine, and so does this lock.

``try_acquire`` never waits; callers poll (see scheduler.leadership). ``still_held`` lets a
holder notice that it lost the lock (e.g. PostgreSQL restarted and dropped the connection).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

if TYPE_CHECKING:
    from storage.db import Database

log = logging.getLogger(__name__)


class ExclusiveLock(Protocol):
    name: str

    async def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this object holds it now."""
        ...

    async def still_held(self) -> bool:
        """True while this object holds the lock (checked against the database or the OS)."""
        ...

    async def release(self) -> None:
        """Give the lock up (idempotent); a process that dies releases it too."""
        ...


def advisory_key(name: str) -> int:
    """A stable signed 64-bit key for ``pg_try_advisory_lock`` from a readable name."""
    digest = hashlib.sha256(f"sipas-bot:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


async def serialize(executor: AsyncConnection | AsyncSession, name: str) -> None:
    """Wait for, then hold until the end of the current transaction, the lock ``name``: for
    start-up work that two processes starting at once must not do together (migrations,
    default flows). SQLite needs nothing: its transactions already take the write lock first.
    """
    bind = executor if isinstance(executor, AsyncConnection) else executor.bind
    if bind.dialect.name == "postgresql":
        await executor.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": advisory_key(name)}
        )


class PostgresAdvisoryLock:
    """A session-level advisory lock on a connection kept open while it is held."""

    def __init__(self, db: Database, name: str) -> None:
        self.db = db
        self.name = name
        self.key = advisory_key(name)
        self._connection: AsyncConnection | None = None

    async def try_acquire(self) -> bool:
        if self._connection is not None:
            return await self.still_held()
        connection = await self.db.engine.connect()
        try:
            taken = bool(
                await connection.scalar(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}
                )
            )
            await connection.commit()  # session-level: the lock outlives the transaction
        except BaseException:
            await connection.close()
            raise
        if not taken:
            await connection.close()
            return False
        self._connection = connection
        return True

    async def still_held(self) -> bool:
        connection = self._connection
        if connection is None:
            return False
        try:
            # The lock lives as long as this session: a live connection means it is held.
            await connection.scalar(text("SELECT 1"))
            await connection.commit()
        except Exception as exc:  # the connection broke: the server has released the lock
            log.warning("lost the database connection holding the %s lock: %s", self.name, exc)
            await self._drop()
            return False
        return True

    async def release(self) -> None:
        connection = self._connection
        if connection is None:
            return
        with contextlib.suppress(Exception):
            await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
            await connection.commit()
        await self._drop()

    async def _drop(self) -> None:
        """Close the dedicated connection for real (not back into the pool), so that no lock
        can outlive it whatever happened to the unlock."""
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                await connection.invalidate()
            with contextlib.suppress(Exception):
                await connection.close()


class FileLock:
    """An exclusive ``flock`` on a file; held while the file stays open in this process.

    ``flock`` locks belong to the open file, so two ``FileLock`` objects exclude each other
    even inside one process (which keeps the tests honest).
    """

    def __init__(self, path: Path, name: str) -> None:
        self.path = path
        self.name = name
        self._fd: int | None = None

    async def try_acquire(self) -> bool:
        if self._fd is not None:
            return True
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())  # who holds it, for a curious admin
        self._fd = fd
        return True

    async def still_held(self) -> bool:
        return self._fd is not None

    async def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)


class ProcessLocalLock:
    """For an in-memory SQLite database, which no other process can open anyway."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._held = False

    async def try_acquire(self) -> bool:
        self._held = True
        return True

    async def still_held(self) -> bool:
        return self._held

    async def release(self) -> None:
        self._held = False


def exclusive_lock(db: Database, name: str) -> ExclusiveLock:
    """The lock called ``name`` for this database, on the mechanism its backend offers."""
    if db.dialect == "postgresql":
        return PostgresAdvisoryLock(db, name)
    database = make_url(db.url).database
    if not database or database == ":memory:":
        return ProcessLocalLock(name)
    return FileLock(Path(f"{database}.{name}.lock"), name)
