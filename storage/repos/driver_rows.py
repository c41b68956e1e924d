"""Statements of many rows handed to the database driver itself, in the session's transaction.

SQLAlchemy prepares each row's parameters one by one (in a bulk import's profile, a third of
the event loop's time went there); the driver takes a statement's parameters as they are. The
statements run on the session's own driver connection (aiosqlite or asyncpg), so they belong
to its transaction and savepoints: a chunk rolled back undoes them like any other statement.
Values are given as the driver binds them (see ``bound``). Only our own table and column names
are ever put into the statement's text; every value is a parameter.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

# SQLite's default limit on a statement's parameters (3.32 and later); asyncpg's is 32,767.
MAX_PARAMETERS = 32_766


class DriverRows:
    """The session's driver connection, with the few statements bulk work needs."""

    def __init__(self, connection: Any, *, numbered: bool, conflict: type[Exception]) -> None:
        self._connection = connection
        self._numbered = numbered  # asyncpg's $1, $2 … rather than SQLite's ?
        self._conflict = conflict  # the driver's integrity error (a unique value taken…)

    @classmethod
    async def of(cls, session: AsyncSession) -> DriverRows:
        """The driver connection of ``session``'s transaction, which must have begun on the
        database (asyncpg begins it lazily, at the first statement SQLAlchemy sends): a
        statement outside it would commit on its own, which must never happen."""
        connection = await session.connection()
        driver = (await connection.get_raw_connection()).driver_connection
        name = connection.dialect.driver
        if name == "asyncpg":
            from asyncpg.exceptions import IntegrityConstraintViolationError as conflict

            began = driver.is_in_transaction()
        elif name == "aiosqlite":
            from sqlite3 import IntegrityError as conflict

            began = driver.in_transaction
        else:
            raise NotImplementedError(f"no bulk statements for the {name} driver")
        if not began:
            raise RuntimeError("bulk statements must run inside a begun transaction")
        return cls(driver, numbered=name == "asyncpg", conflict=conflict)

    def _marks(self, count: int) -> list[str]:
        if self._numbered:
            return [f"${n}" for n in range(1, count + 1)]
        return ["?"] * count

    async def rows(self, sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
        """The rows of one statement (its text written for this driver's placeholders).
        A constraint it breaks raises SQLAlchemy's IntegrityError, as a statement sent through
        the session would (without the parameters: they may hold tokens)."""
        if len(params) > MAX_PARAMETERS:
            raise ValueError(f"{len(params)} parameters: at most {MAX_PARAMETERS} a statement")
        try:
            if self._numbered:
                return [tuple(record) for record in await self._connection.fetch(sql, *params)]
            async with self._connection.execute(sql, params) as cursor:
                return [tuple(row) for row in await cursor.fetchall()]
        except self._conflict as error:
            raise IntegrityError(sql[:200], None, error, hide_parameters=True) from error

    async def insert(
        self,
        table: str,
        columns: Sequence[str],
        rows: Sequence[Sequence[Any]],
        returning: Sequence[str],
    ) -> list[tuple[Any, ...]]:
        """One multi-row INSERT of ``rows`` (values in ``columns``' order); the ``returning``
        columns of the rows inserted, in no particular order (return a key to match them)."""
        if not rows:
            return []
        width = len(columns)
        marks = self._marks(width * len(rows))
        groups = ", ".join(
            "(" + ", ".join(marks[start : start + width]) + ")"
            for start in range(0, len(marks), width)
        )
        sql = (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES {groups} "
            f"RETURNING {', '.join(returning)}"
        )
        return await self.rows(sql, [value for row in rows for value in row])

    async def present(self, table: str, column: str, values: Collection[str]) -> set[str]:
        """Which of ``values`` are already in ``table.column``."""
        if not values:
            return set()
        where, params = self.in_list(1, list(values))
        found = await self.rows(f"SELECT {column} FROM {table} WHERE {column} {where}", params)
        return {row[0] for row in found}

    def in_list(self, first: int, values: Sequence[Any]) -> tuple[str, list[Any]]:
        """``IN (...)`` for ``values`` (``= ANY(...)`` on PostgreSQL), its placeholders
        numbered from parameter ``first`` (1-based), and the parameters it adds."""
        if self._numbered:
            return f"= ANY(${first}::text[])", [list(values)]
        return f"IN ({', '.join('?' * len(values))})", list(values)

    def mark(self, number: int) -> str:
        """The placeholder of parameter ``number`` (1-based)."""
        return f"${number}" if self._numbered else "?"


def bound(session: AsyncSession, column: Column[datetime], moment: datetime) -> Any:
    """``moment`` as ``column``'s type binds it on the session's database (SQLite: text)."""
    dialect = session.get_bind().dialect
    process = column.type.dialect_impl(dialect).bind_processor(dialect)
    return process(moment) if process is not None else moment


def loaded(session: AsyncSession, column: Column[datetime], value: Any) -> datetime:
    """A value of ``column`` as the driver returned it, as SQLAlchemy would load it."""
    dialect = session.get_bind().dialect
    process = column.type.dialect_impl(dialect).result_processor(dialect, None)
    return process(value) if process is not None else value
