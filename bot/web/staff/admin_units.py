"""Units for admins: the tree (within the admin's scope), adding a unit under a parent,
annual dossier volume or quota (for the sample-size target), and which flow version the unit
uses for citizens and for organisations.
"""

from __future__ import annotations

import re

from aiohttp import web

from bot.dossiers.fields import UNIT_CODE_PATTERN
from bot.staff.roles import ADMINISTER
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import flash, form_fields, page
from flows.model import FORMS
from storage.models import Unit, UnitFlow
from storage.repos import audit, flow_versions, units

CODE_PATTERN = re.compile(UNIT_CODE_PATTERN)  # the same rule as the CLI and the API


def tree(scope: tuple[Unit, ...]) -> list[tuple[int, Unit]]:
    """(depth, unit) in tree order, restricted to the scope."""
    ids = {u.id for u in scope}
    children: dict[int | None, list[Unit]] = {}
    for unit in scope:
        parent = unit.parent_id if unit.parent_id in ids else None
        children.setdefault(parent, []).append(unit)
    ordered: list[tuple[int, Unit]] = []

    def walk(parent: int | None, depth: int) -> None:
        for unit in sorted(children.get(parent, []), key=lambda u: u.code):
            ordered.append((depth, unit))
            walk(unit.id, depth + 1)

    walk(None, 0)
    return ordered


def _details(values: dict[str, str], errors: dict[str, str]) -> dict[str, int | None]:
    """Check the name, annual dossiers and quota typed for a unit; errors go in ``errors``."""
    if not values["name"] or len(values["name"]) > 255:
        errors["name"] = "invalid_name"
    numbers: dict[str, int | None] = {}
    for key in ("annual_dossiers", "quota"):
        try:
            numbers[key] = _number(values[key])
        except ValueError:
            errors[key] = "invalid_number"
    return numbers


def _number(value: str) -> int | None:
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or len(value) > 9:
        raise ValueError(value)
    return int(value)


async def _list_page(
    request: web.Request,
    who: Principal,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> web.Response:
    context = {
        "tree": tree(who.scope),
        "values": values or {"parent": who.unit.code if who.unit else ""},
        "errors": errors or {},
        "can_add_root": who.unit is None,
        "minimum": units.minimum_sample,
    }
    return await page(request, who, "units.html", context, status=status)


@staff_route(*ADMINISTER)
async def list_units(request: web.Request, who: Principal) -> web.Response:
    return await _list_page(request, who)


@staff_route(*ADMINISTER)
async def add_unit(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    values = await form_fields(request, "code", "name", "parent", "annual_dossiers", "quota")
    errors: dict[str, str] = {}
    if not CODE_PATTERN.match(values["code"]):
        errors["code"] = "invalid_code"
    numbers = _details(values, errors)
    if values["parent"]:
        who.unit_by_code(values["parent"])  # 403 outside the scope
    elif who.unit is not None:
        errors["parent"] = "invalid_unit"
    if errors:
        return await _list_page(request, who, values, errors, status=422)
    now = services.now()
    async with services.db.transaction() as session:
        if await units.by_code(session, values["code"]) is not None:
            errors["code"] = "code_taken"
        else:
            await units.add(
                session,
                values["code"],
                values["name"],
                now=now,
                parent_code=values["parent"] or None,
                annual_dossiers=numbers["annual_dossiers"],
                quota=numbers["quota"],
            )
            await audit.record(
                session,
                actor=who.username,
                action="unit.add",
                now=now,
                subject=values["code"],
                detail={"parent": values["parent"] or None},
            )
    if errors:
        return await _list_page(request, who, values, errors, status=409)
    await flash(request, "unit_added", code=values["code"])
    raise web.HTTPSeeOther("/staff/admin/units")


async def _unit_page(
    request: web.Request, who: Principal, unit: Unit, errors: dict[str, str], status: int = 200
) -> web.Response:
    services = request.app[SERVICES]
    async with services.db.transaction() as session:
        versions = await flow_versions.versions(session)
        chosen = {form: await session.get(UnitFlow, (unit.id, form)) for form in FORMS}
    context = {
        "unit": unit,
        "errors": errors,
        "forms": FORMS,
        "versions": {form: [v for v in versions if v.form == form] for form in FORMS},
        "chosen": {f: (c.flow_version_id if c else None) for f, c in chosen.items()},
        "minimum": units.minimum_sample,
    }
    return await page(request, who, "unit_edit.html", context, status=status)


@staff_route(*ADMINISTER)
async def show_unit(request: web.Request, who: Principal) -> web.Response:
    unit = who.unit_by_code(request.match_info["code"])
    return await _unit_page(request, who, unit, {})


@staff_route(*ADMINISTER)
async def update_unit(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    unit = who.unit_by_code(request.match_info["code"])
    form = await form_fields(
        request, "name", "annual_dossiers", "quota", *(f"flow_{f}" for f in FORMS)
    )
    errors: dict[str, str] = {}
    numbers = _details(form, errors)
    name = form["name"]
    if errors:
        return await _unit_page(request, who, unit, errors, status=422)
    now = services.now()
    async with services.db.transaction() as session:
        stored = await session.get(Unit, unit.id)
        assert stored is not None
        stored.name = name
        stored.annual_dossiers = numbers["annual_dossiers"]
        stored.quota = numbers["quota"]
        flows: dict[str, int | None] = {}
        for flow_form in FORMS:
            flows[flow_form] = await _assign(session, unit, flow_form, form[f"flow_{flow_form}"])
        await audit.record(
            session,
            actor=who.username,
            action="unit.update",
            now=now,
            subject=unit.code,
            detail={"name": name, **numbers, "flows": flows},
        )
    await flash(request, "saved")
    raise web.HTTPSeeOther(f"/staff/admin/units/{unit.code}")


async def _assign(session, unit: Unit, form: str, raw: str) -> int | None:  # type: ignore[no-untyped-def]
    """Pin a version for the form, or follow the newest version again ("")."""
    if not raw:
        chosen = await session.get(UnitFlow, (unit.id, form))
        if chosen is not None:
            await session.delete(chosen)
            await session.flush()
        return None
    if not raw.isdigit():
        raise web.HTTPBadRequest(text="bad flow version")
    version = await flow_versions.get(session, int(raw))
    if version is None or version.form != form:
        raise web.HTTPBadRequest(text="bad flow version")
    await flow_versions.assign(session, unit.id, form, version.id)
    return version.id


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/admin/units", list_units)
    app.router.add_post("/staff/admin/units", add_unit)
    app.router.add_get("/staff/admin/units/{code}", show_unit)
    app.router.add_post("/staff/admin/units/{code}", update_unit)
