"""Keying a paper Mẫu 01/02 (post-round forms): the unit's flow for the chosen form, every
criterion with its levels ("Không có ý kiến" where the flow allows it), the comment and the
complaint. Saved as a completed response from source ``paper`` by ``bot.dossiers.paper``.

A form with mistakes is shown again with everything typed kept and each problem named; a
dossier that already has a response is refused with a clear message, nothing is lost.
"""

from __future__ import annotations

from aiohttp import web

from bot.dossiers import fields as dossier_fields
from bot.dossiers import paper
from bot.staff.roles import ENTER_PAPER
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import current_locale, flash, page
from bot.web.staff.period_query import default_unit
from flows.model import FORMS, Flow
from flows.places import with_place
from storage.models import Unit

TEXT_FIELDS = ("unit", "form", "dossier", "phone", "comment", "complaint")


async def _render(
    request: web.Request,
    who: Principal,
    unit: Unit,
    form: str,
    values: dict[str, str],
    errors: dict[str, str],
    *,
    refused: tuple[str, str] | None = None,
) -> web.Response:
    services = request.app[SERVICES]
    async with services.db.transaction() as session:
        _version_id, flow = await paper.flow_for(services, session, unit, form)
    locale = await current_locale(request, who)
    context = {
        "units": who.scope,
        "unit": unit,
        "form": form,
        "forms": FORMS,
        "flow": flow,
        "factors": [(f, flow.questions_of(f.id)) for f in flow.factors],
        "text_of": lambda localized: with_place(localized.get(locale), unit.place),
        "field_name": paper.field_name,
        "values": values,
        "errors": errors,
        "refused": refused,
        "limit": flow.closing.max_length,
    }
    status = 422 if errors or refused else 200
    return await page(request, who, "paper.html", context, status=status)


def _form_of(text: str) -> str:
    return text if text in FORMS else "citizen"


@staff_route(*ENTER_PAPER)
async def paper_form(request: web.Request, who: Principal) -> web.Response:
    code = request.query.get("unit", "")
    unit = who.unit_by_code(code) if code else default_unit(who)
    form = _form_of(request.query.get("form", ""))
    return await _render(request, who, unit, form, {}, {})


def _check(flow: Flow, values: dict[str, str], posted: dict[str, str]) -> paper.PaperForm:
    """The typed form, with ``errors`` naming each field that cannot be used."""
    answers, errors = paper.read_answers(flow, posted)
    errors |= paper.closing_errors(flow, values["comment"], values["complaint"])
    dossier = phone = None
    if values["dossier"]:
        try:
            dossier = dossier_fields.dossier_code(values["dossier"])
        except dossier_fields.FieldProblem:
            errors["dossier"] = "invalid_dossier"
    try:
        phone = dossier_fields.phone(values["phone"])
    except dossier_fields.FieldProblem:
        errors["phone"] = "invalid_phone"
    return paper.PaperForm(
        unit_code=values["unit"],
        form=values["form"],
        dossier=dossier,
        phone=phone,
        answers=answers,
        comment=values["comment"],
        complaint=values["complaint"],
        errors=errors,
    )


@staff_route(*ENTER_PAPER)
async def save(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    posted = {k: str(v) for k, v in (await request.post()).items() if isinstance(v, str)}
    values = {name: posted.get(name, "").strip() for name in TEXT_FIELDS}
    unit = next((u for u in who.scope if u.code == values["unit"]), None)
    if unit is None or values["form"] not in FORMS:
        raise web.HTTPUnprocessableEntity(text="unit out of scope or unknown form")
    async with services.db.transaction() as session:
        _version_id, flow = await paper.flow_for(services, session, unit, values["form"])
    entry = _check(flow, values, posted)
    kept = {**posted, **values}
    if entry.errors:
        return await _render(request, who, unit, entry.form, kept, entry.errors)
    try:
        code = await paper.enter(services, entry, user_id=who.user_id, actor=who.username)
    except paper.PaperRefused as refusal:
        refused = (refusal.key, refusal.dossier)
        return await _render(request, who, unit, entry.form, kept, {}, refused=refused)
    await flash(request, "paper_saved", dossier=code)
    raise web.HTTPSeeOther(f"/staff/paper?unit={unit.code}&form={entry.form}")


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/paper", paper_form)
    app.router.add_post("/staff/paper", save)
