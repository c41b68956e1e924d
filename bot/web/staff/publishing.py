"""``POST /staff/results/publish``: the admin's or chair's button that puts a period of the
unit's results on its public page, or takes it off (audited, like ``sipas-bot publish``)."""

from __future__ import annotations

from urllib.parse import urlencode

from aiohttp import web

from bot.results.publishing import set_published
from bot.staff.roles import PUBLISH_RESULTS
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import flash, form_fields
from reports.periods import parse_period


@staff_route(*PUBLISH_RESULTS)
async def publish(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    fields = await form_fields(request, "unit", "period", "action")
    unit = who.unit_by_code(fields["unit"])
    back = "/staff/reports?" + urlencode({"unit": unit.code, "period": fields["period"]})
    now = services.now()
    try:
        period = parse_period(fields["period"], today=now.astimezone(services.zone).date())
    except ValueError:
        await flash(request, "bad_period")
        raise web.HTTPSeeOther(back) from None
    withdraw = fields["action"] == "withdraw"
    async with services.db.transaction() as session:
        changed = await set_published(
            session, unit, period, by=who.username, now=now, withdraw=withdraw
        )
    url = f"{services.settings.web.public_url.rstrip('/')}/p/{unit.code}"
    key = "publish_unchanged" if not changed else ("withdrawn" if withdraw else "results_published")
    await flash(request, key, period=period.label, url=url)
    raise web.HTTPSeeOther(back)


def setup(app: web.Application) -> None:
    app.router.add_post("/staff/results/publish", publish)
