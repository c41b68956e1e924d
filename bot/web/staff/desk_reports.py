"""A desk's results for a period: ``/staff/desks/{code}/report?period=P``.

The roles and the unit scope of the report page (``READ_REPORTS``; the desk's unit must be
one the account covers: a desk of another unit, like an unknown code, is 403 and never
revealed). The figures are ``reports.desks``' (counted ratings only, per question the
answers and the share satisfied with its 95 % interval, "chưa đủ phiếu" under the minimum,
the rank among the unit's desks, the number of comments but never their authors).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.staff.roles import READ_REPORTS
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import current_locale, page
from reports.desks import build_desk_report
from reports.formatting import number, percent
from reports.periods import PeriodError, parse_period
from storage.repos import desks


@staff_route(*READ_REPORTS)
async def desk_report(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    code = request.match_info["code"].upper()
    async with services.db.transaction() as session:
        desk = await desks.by_code(session, code)
    unit = next((u for u in who.scope if desk is not None and u.id == desk.unit_id), None)
    if desk is None or unit is None:
        raise web.HTTPForbidden(text="desk out of scope")
    locale = await current_locale(request, who)
    text = request.query.get("period", "").strip()
    context: dict[str, Any] = {
        "desk": desk,
        "unit": unit,
        "period_text": text,
        "pct": lambda value: percent(value, locale),
        "num": lambda value: number(value or 0, 0, locale),
    }
    try:
        period = parse_period(text, today=services.now().astimezone(services.zone).date())
    except PeriodError as exc:
        context.update(report=None, error=str(exc))
        return await page(request, who, "desk_report.html", context, status=400)
    async with services.db.transaction() as session:
        found = await build_desk_report(
            session, unit, period, locale=locale, flows=services.catalog.get, desk_code=code
        )
    context.update(report=found, shown=found["desks"][0], period_text=text or period.label)
    return await page(request, who, "desk_report.html", context)


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/desks/{code}/report", desk_report)
