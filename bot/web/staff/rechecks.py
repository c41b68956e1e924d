"""Re-verification (phúc tra) pages: the share confirmed for a unit and period, the samples
drawn, and each sample's call list where the outcome of every call is recorded.

Phones are shown only to the roles in ``roles.SEE_PHONES``; each outcome is audited (never
the phone). A denial flags the response ``denied_on_recheck``; an unreachable respondent is
replaced by the next reserve, which the page then lists.
"""

from __future__ import annotations

from aiohttp import web

from bot.rechecks import MAX_SEED, draw_sample, new_seed
from bot.staff.roles import DRAW_RECHECKS, EVERYONE, RECORD_RECHECKS, SEE_PHONES
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import flash, form_fields, page
from bot.web.staff.period_query import asked, figures_of
from reports.periods import parse_period
from storage.models import RecheckDraw, Unit
from storage.repos import audit, rechecks

OUTCOMES = rechecks.OUTCOMES
SOURCES = frozenset(
    f"source_{name}" for name in ("web", "telegram", "zalo_bot", "zalo_oa", "paper")
)


async def _overview(
    request: web.Request, who: Principal, draw_values: dict[str, str], errors: dict[str, str]
) -> web.Response:
    services = request.app[SERVICES]
    query = asked(request, who)
    summary = await figures_of(request, query, rechecks.summary)
    async with services.db.transaction() as session:
        draws = await rechecks.draws_for(session, who.unit_ids)
    names = {u.id: u for u in who.scope}
    context = {
        "units": who.scope,
        "unit": query.unit,
        "period_text": query.period_text,
        "period_error": query.period is None,
        "summary": summary,
        "draws": [(d, names[d.unit_id]) for d in draws],
        "can_draw": who.role in DRAW_RECHECKS,
        "draw_values": draw_values,
        "errors": errors,
    }
    return await page(request, who, "rechecks.html", context, status=422 if errors else 200)


@staff_route(*EVERYONE)
async def overview(request: web.Request, who: Principal) -> web.Response:
    return await _overview(request, who, {"share": "10", "seed": ""}, {})


@staff_route(*DRAW_RECHECKS)
async def draw(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    values = await form_fields(request, "unit", "period", "share", "seed")
    unit = next((u for u in who.scope if u.code == values["unit"]), None)
    errors: dict[str, str] = {}
    if unit is None:
        raise web.HTTPForbidden(text="unit out of scope")
    today = services.now().astimezone(services.zone).date()
    try:
        period = parse_period(values["period"], today=today)
    except ValueError:
        errors["period"] = "period_invalid"
    share = int(values["share"]) if values["share"].isdigit() else 0
    if not 1 <= share <= 100:
        errors["share"] = "share_invalid"
    seed = int(values["seed"]) if values["seed"].isdigit() else None
    if values["seed"] and (seed is None or seed > MAX_SEED):
        errors["seed"] = "seed_invalid"
    if errors:
        return await _overview(request, who, values, errors)
    data, _created = await draw_sample(
        services,
        unit_code=unit.code,
        period=period,
        share=share,
        seed=new_seed() if seed is None else seed,
        actor=who.username,
    )
    await flash(
        request,
        "draw_done",
        count=len(data["sample"]),
        population=data["population"],
        seed=data["seed"],
    )
    raise web.HTTPSeeOther(f"/staff/rechecks?unit={unit.code}&period={period.label}")


async def _visible_draw(request: web.Request, who: Principal) -> tuple[RecheckDraw, Unit]:
    """The draw of the URL if the user's scope covers its unit; 404 otherwise."""
    draw_id = request.match_info["draw_id"]
    if not draw_id.isdigit() or len(draw_id) > 12:
        raise web.HTTPNotFound()
    async with request.app[SERVICES].db.transaction() as session:
        found = await session.get(RecheckDraw, int(draw_id))
    if found is None or not who.covers(found.unit_id):
        raise web.HTTPNotFound()
    unit = next(u for u in who.scope if u.id == found.unit_id)
    return found, unit


@staff_route(*EVERYONE)
async def call_list(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    found, unit = await _visible_draw(request, who)
    async with services.db.transaction() as session:
        views = await rechecks.items(session, found.id)
    by_id = {v.item.id: v for v in views}
    called = [v for v in views if v.item.called]
    context = {
        "draw": found,
        "unit": unit,
        "called": called,
        "replaced": {
            v.item.id: by_id[v.item.replaces_id].response.dossier
            for v in called
            if v.item.replaces_id in by_id
        },
        "reserve_left": sum(1 for v in views if not v.item.called),
        "show_phones": who.role in SEE_PHONES,
        "can_record": who.role in RECORD_RECHECKS,
        "outcomes": OUTCOMES,
        "known_sources": SOURCES,
        "tally": {o: sum(1 for v in called if v.item.outcome == o) for o in OUTCOMES},
    }
    return await page(request, who, "recheck_draw.html", context)


@staff_route(*RECORD_RECHECKS)
async def record(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    found, _unit = await _visible_draw(request, who)
    item_id = request.match_info["item_id"]
    values = await form_fields(request, "outcome")
    back = f"/staff/rechecks/{found.id}"
    if values["outcome"] not in OUTCOMES or not item_id.isdigit():
        raise web.HTTPNotFound()
    now = services.now()
    try:
        async with services.db.transaction() as session:
            views = {v.item.id: v for v in await rechecks.items(session, found.id)}
            view = views.get(int(item_id))
            if view is None:
                raise web.HTTPNotFound()
            promoted = await rechecks.record_outcome(
                session, view.item.id, values["outcome"], by=who.username, now=now
            )
            await audit.record(
                session,
                actor=who.username,
                action="recheck.outcome",
                now=now,
                subject=f"draw {found.id}/response {view.response.id}",
                detail={"outcome": values["outcome"], "item": view.item.id},
            )
    except rechecks.OutcomeRefused:
        await flash(request, "outcome_refused")
        raise web.HTTPSeeOther(back) from None
    dossier = view.response.dossier
    if promoted is not None:
        await flash(
            request, "outcome_saved_next", dossier=dossier, next=views[promoted.id].response.dossier
        )
    elif values["outcome"] == "unreachable":
        await flash(request, "outcome_saved_no_reserve", dossier=dossier)
    else:
        await flash(request, "outcome_saved", dossier=dossier)
    raise web.HTTPSeeOther(back)


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/rechecks", overview)
    app.router.add_post("/staff/rechecks", draw)
    app.router.add_get("/staff/rechecks/{draw_id}", call_list)
    app.router.add_post("/staff/rechecks/{draw_id}/items/{item_id}", record)
