"""The desks page: admins and chairs list their units' desks (standing QR codes), add one,
and download each desk's A4 poster to print and fix at the counter.
"""

from __future__ import annotations

from aiohttp import web

from bot.desks.service import DEFAULT_FLOW, DeskProblem
from bot.staff.roles import MANAGE_DESKS
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import flash, form_fields, page
from storage.repos import desks, flow_versions


async def _context(
    request: web.Request, who: Principal, values: dict[str, str], errors: dict[str, str]
) -> dict:
    services = request.app[SERVICES]
    async with services.db.transaction() as session:
        found = await desks.for_units(session, who.unit_ids)
        published = await flow_versions.versions(session)
    names = {u.id: u.name for u in who.scope}
    flows = sorted({v.flow_key for v in published if v.form == "desk"} | {DEFAULT_FLOW})
    return {
        "desks": [(desk, names.get(desk.unit_id, "")) for desk in found],
        "url": services.desks.url,
        "units": who.scope,
        "flows": flows,
        "values": values,
        "errors": errors,
    }


@staff_route(*MANAGE_DESKS)
async def list_desks(request: web.Request, who: Principal) -> web.Response:
    values = {"unit": who.scope[0].code if who.scope else "", "flow": DEFAULT_FLOW}
    return await page(request, who, "desks.html", await _context(request, who, values, {}))


@staff_route(*MANAGE_DESKS)
async def add_desk(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    values = await form_fields(request, "unit", "name", "flow")
    unit = next((u for u in who.scope if u.code == values["unit"]), None)
    errors: dict[str, str] = {}
    if unit is None:
        errors["unit"] = "invalid_unit"
    else:
        try:
            info = await services.desks.add(
                unit_code=unit.code,
                name=values["name"],
                flow_key=values["flow"] or DEFAULT_FLOW,
                actor=who.username,
            )
        except DeskProblem as problem:
            errors["flow" if problem.key == "flow_unknown" else "name"] = f"desk_{problem.key}"
    if errors:
        context = await _context(request, who, values, errors)
        return await page(request, who, "desks.html", context, status=422)
    await flash(request, "desk_added", name=info.desk.name)
    raise web.HTTPSeeOther(f"/staff/desks#desk-{info.desk.code}")


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/desks", list_desks)
    app.router.add_post("/staff/desks", add_desk)
