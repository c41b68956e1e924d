"""Hot statements sent straight to the database driver.

Every statement through SQLAlchemy's async session is a greenlet switch, a pass through the
ORM's execution layer and the building of a result object: for the few statements of every
answer and page load that was most of the database work the event loop did. A
``DriverQuery`` is a Core statement compiled once per dialect into the driver's own SQL, with
the type conversions SQLAlchemy would apply (dates in and out), so the hot statements keep one
definition of their SQL and run two ways:

- ``Database.fetch_one``: a single read outside any transaction (a page load). One SELECT is
  consistent by itself; BEGIN and COMMIT were two more trips to the driver's thread on SQLite
  and two more round trips on PostgreSQL.
- ``rows``: a statement inside a session's transaction. On SQLite it goes to the session's
  own sqlite3 connection (the transaction SQLAlchemy began); on PostgreSQL through the session
  as before, since asyncpg's transaction is begun by SQLAlchemy's adapter on its first
  statement and a statement sent around it would run outside the transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.engine import Dialect
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.expression import Executable

Processor = Callable[[Any], Any] | None


@dataclass(frozen=True)
class _Compiled:
    sql: str
    names: tuple[str, ...]  # bind names in the order the driver takes them
    defaults: Mapping[str, Any]  # values of the statement's own literals
    binds: Mapping[str, Processor]
    results: tuple[Processor, ...]

    def arguments(self, params: Mapping[str, Any]) -> list[Any]:
        values = []
        for name in self.names:
            value = params[name] if name in params else self.defaults[name]
            convert = self.binds.get(name)
            values.append(convert(value) if convert is not None and value is not None else value)
        return values

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        return tuple(
            convert(value) if convert is not None else value
            for convert, value in zip(self.results, raw, strict=True)
        )


def _compile(statement: Executable, dialect: Dialect) -> _Compiled:
    compiled: Any = statement.compile(dialect=dialect)
    if compiled.literal_execute_params or compiled.post_compile_params:
        # Literals SQLAlchemy renders into the SQL at each execution (a separator) are
        # rendered once here; the statement's own parameters stay parameters (the values
        # given to them are only there to let the rendering run).
        given = {name: None for name, bind in compiled.binds.items() if bind.required}
        rendered = statement.params(given)  # type: ignore[attr-defined]
        compiled = rendered.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    names = tuple(compiled.positiontup or ())
    defaults = {name: bind.effective_value for name, bind in compiled.binds.items()}
    binds = {name: processor for name, processor in compiled._bind_processors.items()}
    results = tuple(
        column.type._cached_result_processor(dialect, None) for column in compiled._result_columns
    )
    return _Compiled(compiled.string, names, defaults, binds, results)


class DriverQuery:
    """A statement compiled for each dialect it meets. ``statement`` is the Core statement,
    or a function of the dialect's name that builds it (an upsert is dialect-specific)."""

    def __init__(self, statement: Executable | Callable[[str], Executable]) -> None:
        self._build = statement if callable(statement) else (lambda _name: statement)
        self._statements: dict[str, Executable] = {}
        self._compiled: dict[str, _Compiled] = {}

    def statement(self, dialect: str) -> Executable:
        found = self._statements.get(dialect)
        if found is None:
            found = self._statements[dialect] = self._build(dialect)
        return found

    def compiled(self, dialect: Dialect) -> _Compiled:
        found = self._compiled.get(dialect.name)
        if found is None:
            if not dialect.positional:
                raise NotImplementedError(f"driver reads need a positional dialect: {dialect.name}")
            found = _compile(self.statement(dialect.name), dialect)
            self._compiled[dialect.name] = found
        return found


# In a session's ``info``: its driver connection (None: go through the session) and dialect.
# A session of ``Database.transaction`` is one transaction on one connection.
_DRIVER = "sipas_driver_connection"


async def rows(
    session: AsyncSession, query: DriverQuery, params: Mapping[str, Any]
) -> list[tuple[Any, ...]]:
    """``query``'s rows (a write's RETURNING rows) inside the session's transaction.

    On SQLite: one call to the driver's thread, on the connection the session's transaction
    runs on (asking for it begins the transaction, BEGIN IMMEDIATE, if it has not begun). The
    driver's errors become SQLAlchemy's (``OperationalError``, ``IntegrityError``) so callers
    handle them as before, without the parameters in their text. The session's pending ORM
    changes, if any, are flushed first, as the session would before a statement."""
    found = session.info.get(_DRIVER)
    if found is None:  # the session's first statement: which way, and begin the transaction
        connection = await session.connection()
        driver = None
        if connection.dialect.name == "sqlite":
            driver = (await connection.get_raw_connection()).driver_connection
        found = session.info[_DRIVER] = (driver, connection.dialect)
    driver, dialect = found
    if driver is None:
        result = await session.execute(query.statement(dialect.name), params)
        return [tuple(row) for row in result] if result.returns_rows else []
    if session.new or session.dirty or session.deleted:
        await session.flush()
    compiled = query.compiled(dialect)
    try:
        raw = await driver.execute_fetchall(compiled.sql, compiled.arguments(params))
    except sqlite3.Error as exc:
        raise DBAPIError.instance(
            compiled.sql, None, exc, sqlite3.Error, hide_parameters=True
        ) from exc
    return [compiled.row(row) for row in raw]
