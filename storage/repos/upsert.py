"""Portable INSERT ... ON CONFLICT for SQLite and PostgreSQL (both speak the same clause)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

_INSERTS: dict[str, Callable[[Any], Any]] = {
    "postgresql": postgresql.insert,
    "sqlite": sqlite.insert,
}


def insert_of(dialect: str) -> Callable[[Any], Any]:
    """The INSERT construct of ``dialect`` (by name), which offers ``on_conflict_do_*``."""
    if dialect not in _INSERTS:
        raise NotImplementedError(f"unsupported database dialect: {dialect}")
    return _INSERTS[dialect]


def dialect_of(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def insert_for(session: AsyncSession, table: Any) -> Any:
    """An INSERT of the session's dialect, which offers ``on_conflict_do_*``."""
    return insert_of(dialect_of(session))(table)
