"""The report page: the unit's weekly digest (figures, factor indices, weakest criteria,
anonymous comments and the chart) for chairs, viewers and admins, in the browser.

Numbers come from the same ``reports.digest.compose_digest`` as the Monday message, so the
page, ``/baocao`` and the digest never disagree. Aggregates only: no one sees who answered what.
"""

from __future__ import annotations

import base64

from aiohttp import web

from bot.staff.roles import READ_REPORTS
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import current_locale, page
from reports.digest import Digest
from reports.weeks import parse_week, shift
from scheduler.clock import iso_week


async def _digest(request: web.Request, who: Principal) -> tuple[Digest, str, str]:
    """The digest asked for by ``?unit=CODE&week=YYYY-Www`` (defaults: own unit, this week)."""
    services = request.app[SERVICES]
    code = request.query.get("unit", "")
    unit = who.unit_by_code(code) if code else (who.unit or (who.scope[0] if who.scope else None))
    if unit is None:
        raise web.HTTPForbidden(text="no unit in scope")
    now = services.now()
    week = request.query.get("week", "") or iso_week(now, services.zone)
    try:
        parse_week(week)
    except ValueError:
        raise web.HTTPBadRequest(text="week must look like 2026-W48") from None
    locale = await current_locale(request, who)
    async with services.db.transaction() as session:
        digest = await services.digest(session, unit, week, locale, now)
    return digest, unit.code, week


@staff_route(*READ_REPORTS)
async def report(request: web.Request, who: Principal) -> web.Response:
    digest, unit_code, week = await _digest(request, who)
    chart = base64.b64encode(digest.chart_png).decode() if digest.chart_png else None
    context = {
        "paragraphs": [block.splitlines() for block in digest.text.split("\n\n")],
        "chart": chart,
        "caption": digest.caption,
        "unit_code": unit_code,
        "week": week,
        "previous": shift(week, -1),
        "next": shift(week, 1),
        "units": who.scope,
    }
    return await page(request, who, "report.html", context)


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/reports", report)
