"""The clerk's pages: create a survey link for a dossier (QR code, channel links, ready text,
printable A6 slip) and the list of recent links with their status only — never answers.
"""

from __future__ import annotations

from datetime import datetime

from aiohttp import web

from bot.dossiers import fields as dossier_fields
from bot.dossiers.links import LinkInfo, ReissueRefused
from bot.dossiers.notices import NoticeState
from bot.staff.roles import EVERYONE
from bot.staff.roles import MAKE_LINKS as LINK_MAKERS
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import current_locale, flash, form_fields, page
from bot.web.webchat import TOKEN_PATTERN as TOKEN
from storage.repos import flow_versions, link_search, links

FORMS = ("citizen", "organization")
NOTICE_REASONS = {  # Zalo's ZNS error codes the clerk can act on
    -108: "notice_reason_phone",
    -133: "notice_reason_night",
    -1121: "notice_reason_too_long",
}


def notice_reason(notice: NoticeState | None) -> str | None:
    """The phrase explaining a notice's error to the clerk (the raw text is shown too)."""
    if notice is None or not notice.error:
        return None
    if notice.error_code in NOTICE_REASONS:
        return NOTICE_REASONS[notice.error_code]
    return "notice_reason_retry" if notice.status == "waiting" else "notice_reason_failed"


def _form_context(
    who: Principal,
    values: dict[str, str],
    errors: dict[str, str],
    flows: list[tuple[str, str]] | None = None,
) -> dict:
    return {"units": who.scope, "values": values, "errors": errors, "flows": flows or []}


async def _published_flows(request: web.Request, who: Principal) -> list[tuple[str, str]]:
    """(id, title) of every published flow, for the optional "Bộ câu hỏi" choice."""
    services = request.app[SERVICES]
    locale = await current_locale(request, who)
    async with services.db.transaction() as session:
        newest = {v.flow_key: v for v in await flow_versions.versions(session)}
        flows = [
            (key, (await services.catalog.get(session, version.id)).title.get(locale))
            for key, version in sorted(newest.items())
        ]
    return flows


@staff_route(*LINK_MAKERS)
async def new_link_form(request: web.Request, who: Principal) -> web.Response:
    values = {"unit": who.scope[0].code if who.scope else "", "form": "citizen", "flow": ""}
    flows = await _published_flows(request, who)
    return await page(request, who, "link_new.html", _form_context(who, values, {}, flows))


@staff_route(*LINK_MAKERS)
async def create_link(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    values = await form_fields(request, "unit", "dossier", "procedure", "form", "phone", "flow")
    flows = await _published_flows(request, who)
    errors: dict[str, str] = {}
    if values["flow"] and values["flow"] not in {key for key, _ in flows}:
        errors["flow"] = "invalid_flow"
    unit = next((u for u in who.scope if u.code == values["unit"]), None)
    if unit is None:
        errors["unit"] = "invalid_unit"
    try:  # the same field rules as the CLI, the API and the bulk import
        dossier = dossier_fields.dossier_code(values["dossier"])
    except dossier_fields.FieldProblem:
        errors["dossier"] = "invalid_dossier"
    if values["form"] not in FORMS:
        errors["form"] = "invalid_form"
    try:
        phone = dossier_fields.phone(values["phone"])
    except dossier_fields.FieldProblem:
        errors["phone"] = "invalid_phone"
    if errors or unit is None:
        context = _form_context(who, values, errors, flows)
        return await page(request, who, "link_new.html", context, status=422)
    info = await services.links.create(
        unit_code=unit.code,
        dossier_code=dossier,
        form=values["form"],
        procedure=dossier_fields.procedure(values["procedure"][: dossier_fields.MAX_PROCEDURE]),
        phone=phone,
        actor=who.username,
        flow=values["flow"] or None,
    )
    await flash(
        request, "link_created" if info.created else "link_existing", dossier=info.dossier.code
    )
    raise web.HTTPSeeOther(f"/staff/links/{info.link.token}")


async def _visible_link(request: web.Request, who: Principal) -> LinkInfo:
    """The link of the URL if the user's scope covers its unit; 404 otherwise."""
    token = request.match_info["token"]
    if not TOKEN.match(token):
        raise web.HTTPNotFound()
    info = await request.app[SERVICES].links.info(token)
    if info is None or not who.covers(info.unit.id):
        raise web.HTTPNotFound()
    return info


@staff_route(*LINK_MAKERS)
async def show_link(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    info = await _visible_link(request, who)
    data = services.links.as_json(info, await current_locale(request, who))
    context = {
        "info": info,
        "data": data,
        "link_labels": services.plugins.link_labels(),
        "notice_reason": notice_reason(info.notice),
    }
    return await page(request, who, "link_show.html", context)


@staff_route(*LINK_MAKERS)
async def reissue(request: web.Request, who: Principal) -> web.StreamResponse:
    """A new token and short code for the dossier (the old ones stop working), audited."""
    info = await _visible_link(request, who)
    try:
        fresh = await request.app[SERVICES].links.reissue(info.link.token, actor=who.username)
    except ReissueRefused:
        await flash(request, "reissue_refused")
        raise web.HTTPSeeOther(f"/staff/links/{info.link.token}") from None
    await flash(request, "reissued", dossier=fresh.dossier.code)
    raise web.HTTPSeeOther(f"/staff/links/{fresh.link.token}")


@staff_route(*LINK_MAKERS)
async def slip(request: web.Request, who: Principal) -> web.Response:
    info = await _visible_link(request, who)
    return await page(request, who, "slip.html", {"info": info}, locale="vi")


def _link_query(request: web.Request, who: Principal) -> link_search.LinkQuery:
    """The list's search (dossier code or last phone digits), status filter and page."""
    text = request.query.get("q", "").strip()[:64]
    status = request.query.get("status", "")
    number = request.query.get("page", "1")
    return link_search.LinkQuery(
        unit_ids=who.unit_ids,
        text=text,
        status=status if status in link_search.STATUSES else "",
        page=int(number) if number.isdigit() and 0 < int(number) < 100_000 else 1,
    )


@staff_route(*EVERYONE)
async def recent(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    now = services.now()
    today = now.astimezone(services.zone).date()
    query = _link_query(request, who)
    async with services.db.transaction() as session:
        rows, total = await link_search.search(session, query, now)
    notices = services.links.notices
    notice_of = await notices.statuses(link.id for link, _, _ in rows) if notices else {}
    units = {u.id: u for u in who.scope}
    items = [
        {
            "dossier": dossier.code,
            "unit": units[link.unit_id].name if link.unit_id in units else "",
            "form": link.form,
            "created_at": link.created_at,
            "status": links.status(link, survey, now),
            "token": link.token,
            "notice": notice_of.get(link.id),
        }
        for link, dossier, survey in rows
    ]

    def is_today(moment: datetime) -> bool:
        return moment.astimezone(services.zone).date() == today

    groups = [
        ("today", [i for i in items if is_today(i["created_at"])]),
        ("earlier", [i for i in items if not is_today(i["created_at"])]),
    ]
    context = {
        "groups": groups,
        "can_open": who.role in LINK_MAKERS,
        "show_notices": bool(notices),
        "search": query,
        "statuses": link_search.STATUSES,
        "total": total,
        "page_number": query.page,
        "pages": max(1, -(-total // query.page_size)),
        "query": {"q": query.text, "status": query.status},
        "today": today.isoformat(),
    }
    return await page(request, who, "links_recent.html", context)


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/links/new", new_link_form)
    app.router.add_post("/staff/links/new", create_link)
    app.router.add_get("/staff/links", recent)
    app.router.add_get("/staff/links/{token}", show_link)
    app.router.add_get("/staff/links/{token}/slip", slip)
    app.router.add_post("/staff/links/{token}/reissue", reissue)
