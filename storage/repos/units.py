"""Units: the tree of province, communes/wards and departments."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Unit
from storage.repos.errors import AlreadyExists, NotFound


async def by_code(session: AsyncSession, code: str) -> Unit | None:
    return await session.scalar(select(Unit).where(Unit.code == code))


async def require(session: AsyncSession, code: str) -> Unit:
    unit = await by_code(session, code)
    if unit is None:
        raise NotFound(f"unknown unit {code!r}")
    return unit


async def add(
    session: AsyncSession,
    code: str,
    name: str,
    *,
    now: datetime,
    parent_code: str | None = None,
    annual_dossiers: int | None = None,
    quota: int | None = None,
    place: str | None = None,
) -> Unit:
    """A new unit; ``place`` is where it serves respondents, filled into a flow's
    ``{place}`` (None: "Bộ phận Một cửa")."""
    if await by_code(session, code) is not None:
        raise AlreadyExists(f"unit {code!r} already exists")
    parent = await require(session, parent_code) if parent_code else None
    unit = Unit(
        code=code,
        name=name,
        parent_id=parent.id if parent else None,
        annual_dossiers=annual_dossiers,
        quota=quota,
        created_at=now,
        place=place,
    )
    session.add(unit)
    await session.flush()
    return unit


async def all_units(session: AsyncSession) -> list[Unit]:
    return list(await session.scalars(select(Unit).order_by(Unit.code)))


async def descendants(session: AsyncSession, unit_id: int) -> list[Unit]:
    """The unit's children, grandchildren... (not the unit itself)."""
    return below(unit_id, await all_units(session))


def below(unit_id: int, everyone: Sequence[Unit]) -> list[Unit]:
    """The units under ``unit_id`` within an already loaded list (no query per level)."""
    children: dict[int | None, list[Unit]] = {}
    for unit in everyone:
        children.setdefault(unit.parent_id, []).append(unit)
    found: list[Unit] = []
    frontier = [unit_id]
    while frontier:
        current = frontier.pop()
        for child in children.get(current, []):
            found.append(child)
            frontier.append(child.id)
    return found


async def is_within(session: AsyncSession, unit: Unit, ancestor_id: int) -> bool:
    """Whether ``unit`` is the unit ``ancestor_id`` or lies below it in the tree.

    Walks up from ``unit`` (a few steps: province, district, commune) instead of loading
    the whole tree.
    """
    seen: set[int] = set()
    current: Unit | None = unit
    while current is not None and current.id not in seen:
        if current.id == ancestor_id:
            return True
        seen.add(current.id)
        current = await session.get(Unit, current.parent_id) if current.parent_id else None
    return False


def minimum_sample(annual_dossiers: int | None, quota: int | None) -> int | None:
    """The year's minimum completed forms (sipas.md table) unless the unit has a quota."""
    if quota is not None:
        return quota
    if annual_dossiers is None:
        return None
    if annual_dossiers < 100:
        return annual_dossiers
    if annual_dossiers < 1000:
        return 100
    if annual_dossiers < 5000:
        return 200
    return 500
