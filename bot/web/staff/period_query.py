"""The unit and period a staff page was asked for (``?unit=CODE&period=P``): a unit in the
user's scope (their own by default) and a period in any of the report forms (this month by
default). An unreadable period is shown back with a kind message, never a 500."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

from aiohttp import web

from bot.web.keys import SERVICES
from bot.web.staff.access import Principal
from reports.periods import Period, parse_period
from storage.models import Unit
from storage.repos import units

Figures = TypeVar("Figures")


@dataclass(frozen=True)
class Asked:
    unit: Unit
    period_text: str
    period: Period | None  # None: the text could not be read (error shown)


def default_unit(who: Principal) -> Unit:
    unit = who.unit or (who.scope[0] if who.scope else None)
    if unit is None:
        raise web.HTTPForbidden(text="no unit in scope")
    return unit


def asked(request: web.Request, who: Principal) -> Asked:
    services = request.app[SERVICES]
    code = request.query.get("unit", "")
    unit = who.unit_by_code(code) if code else default_unit(who)
    today = services.now().astimezone(services.zone).date()
    text = request.query.get("period", "").strip() or f"{today:%Y-%m}"
    try:
        period: Period | None = parse_period(text, today=today)
    except ValueError:
        period = None
    return Asked(unit, text, period)


async def subtree(request: web.Request, unit: Unit) -> list[int]:
    """The unit and every unit below it (figures of a unit include its children)."""
    async with request.app[SERVICES].db.transaction() as session:
        below = await units.descendants(session, unit.id)
    return [unit.id, *(u.id for u in below)]


async def figures_of(
    request: web.Request,
    query: Asked,
    compute: Callable[..., Awaitable[Figures]],
) -> Figures | None:
    """``compute(session, unit_ids, start, end, zone=...)`` over the asked unit's subtree and
    period; None when the period could not be read."""
    if query.period is None:
        return None
    services = request.app[SERVICES]
    unit_ids = await subtree(request, query.unit)
    async with services.db.transaction() as session:
        period = query.period
        return await compute(session, unit_ids, period.start, period.end, zone=services.zone)
