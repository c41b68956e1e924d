"""The staff home page's dashboard: the units the person can see, with this month's counted
responses and index, open and overdue reports / petitions, and links to the report and the
work list. Light: counters only (``reports.dashboard``), never a scan of answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from aiohttp import web

from bot.web.keys import SERVICES
from bot.web.staff.access import Principal
from bot.web.staff.pages import current_locale
from reports.dashboard import UnitGlance, glance
from reports.formatting import percent


@dataclass(frozen=True)
class Line:
    glance: UnitGlance
    index: str  # ``64,3 %`` in the page's language, ``—`` when nothing was answered


async def dashboard(request: web.Request, who: Principal) -> list[Line]:
    services = request.app[SERVICES]
    now = services.now()
    locale = await current_locale(request, who)
    async with services.db.transaction() as session:
        found = await glance(
            session,
            who.scope,
            today=now.astimezone(services.zone).date(),
            now=now,
            flows=services.catalog.get,
        )
    return [Line(g, percent(g.month.index, locale)) for g in found]
