"""Integrity pages: the review list of flagged responses, and erasing a dossier's personal data.

The review list shows each flagged response by number, date, unit, flags and their evidence —
never its answers, never its chat — with counts per flag; admins (their scope) and chairs
(their unit and the units below it) keep or exclude a response, always with a reason, and
``storage.repos.flags.review`` writes the decision to the audit log. Erasing by dossier
removes the phone and chat ids (admins only, audited) and keeps the anonymous answers counted.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from functools import partial
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiohttp import web
from sqlalchemy import select

from bot.staff.roles import ADMIN, ERASE_PERSONAL_DATA, REVIEW_FLAGS
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.i18n import translator
from bot.web.staff.pages import current_locale, flash, form_fields, page
from storage.models import Dossier, ResponseFlag, SurveySession, Unit
from storage.repos import audit, flags, personal_data, units
from storage.repos.flags import ReviewFilter

STATES = ("pending", "all")
EVIDENCE_KEYS = {  # the evidence each phrase needs; a flag without one shows no detail
    "too_fast": ("median_seconds", "answers"),
    "staff_chat": ("channel",),
    "staff_network": ("network",),
    "repeat_chat": ("responses", "days"),
}


def evidence_text(t: Callable[..., str], flag: ResponseFlag) -> str:
    """The flag's evidence in words ("median 1.0 seconds per answer, 22 answers")."""
    needed = EVIDENCE_KEYS.get(flag.flag)
    if not needed or any(key not in flag.evidence for key in needed):
        return ""
    return t(f"evidence_{flag.flag}", **{key: flag.evidence[key] for key in needed})


async def review_scope(request: web.Request, who: Principal) -> tuple[Unit, ...]:
    """The units whose responses ``who`` reviews: an admin's scope; a chair's unit and below."""
    if who.role == ADMIN or who.unit is None:
        return who.scope
    async with request.app[SERVICES].db.transaction() as session:
        below = await units.descendants(session, who.unit.id)
    return (who.unit, *sorted(below, key=lambda u: u.code))


async def waiting_reviews(request: web.Request, who: Principal) -> int:
    """How many flagged responses in ``who``'s review scope wait for a decision."""
    scope = await review_scope(request, who)
    where = ReviewFilter(unit_ids=tuple(u.id for u in scope), pending_only=True)
    async with request.app[SERVICES].db.transaction() as session:
        return await flags.count_responses(session, where)


def parse_day(text: str) -> date | None:
    """``2026-11-24`` (what a date field sends) or ``24/11/2026``; None when empty."""
    text = text.strip()
    if not text:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"not a date: {text!r}")


def _filter_from(
    query: dict[str, str], scope: tuple[Unit, ...], zone: ZoneInfo
) -> tuple[ReviewFilter, dict[str, str]]:
    """The review filter a query asks for, within ``scope`` (a foreign unit is a 403)."""
    code = query.get("unit", "")
    chosen = [u for u in scope if u.code == code] if code else list(scope)
    if code and not chosen:
        raise web.HTTPForbidden(text="unit out of scope")
    flag = query.get("flag", "")
    state = query.get("state", "pending")
    start, end = parse_day(query.get("from", "")), parse_day(query.get("to", ""))
    where = ReviewFilter(
        unit_ids=tuple(u.id for u in chosen),
        flag=flag if flag in flags.FLAGS else None,
        start=datetime.combine(start, time(), tzinfo=zone) if start else None,
        end=(datetime.combine(end + timedelta(days=1), time(), tzinfo=zone) if end else None),
        pending_only=state != "all",
    )
    shown = {
        "unit": code,
        "flag": where.flag or "",
        "from": start.isoformat() if start else "",
        "to": end.isoformat() if end else "",
        "state": "all" if state == "all" else "pending",
    }
    return where, shown


async def _review_page(
    request: web.Request, who: Principal, *, error: str | None = None, status: int = 200
) -> web.Response:
    services = request.app[SERVICES]
    scope = await review_scope(request, who)
    query = {key: request.query.get(key, "") for key in ("unit", "flag", "from", "to", "state")}
    try:
        where, shown = _filter_from(query, scope, services.zone)
    except ValueError:
        where, shown = _filter_from({}, scope, services.zone)
        error, status = "invalid_dates", 422
    async with services.db.transaction() as session:
        found = await flags.flagged_responses(session, where)
        counts = await flags.counts_by_flag(session, where)
    names = {u.id: u.name for u in scope}
    context = {
        "units": scope,
        "flags": flags.FLAGS,
        "states": STATES,
        "shown": shown,
        "responses": found,
        "unit_names": names,
        "counts": [(flag, counts.get(flag, 0)) for flag in flags.FLAGS],
        "error": error,
        "back": request.path_qs,
        "evidence": partial(evidence_text, translator(await current_locale(request, who))),
    }
    return await page(request, who, "reviews.html", context, status=status)


@staff_route(*REVIEW_FLAGS)
async def review_list(request: web.Request, who: Principal) -> web.Response:
    return await _review_page(request, who)


def _safe_back(value: str) -> str:
    return value if value.startswith("/staff/reviews") and "//" not in value else "/staff/reviews"


@staff_route(*REVIEW_FLAGS)
async def review(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    try:
        session_id = int(request.match_info["session_id"])
    except ValueError:
        raise web.HTTPNotFound() from None
    values = await form_fields(request, "decision", "reason", "back")
    scope = await review_scope(request, who)
    async with services.db.transaction() as session:
        survey = await session.get(SurveySession, session_id)
    if (
        survey is None
        or survey.completed_at is None  # only finished responses are reviewed
        or survey.unit_id not in {u.id for u in scope}
    ):
        raise web.HTTPNotFound()
    if values["decision"] not in flags.DECISIONS:
        raise web.HTTPBadRequest(text="unknown decision")
    if not values["reason"]:
        return await _review_page(request, who, error="reason_required", status=422)
    async with services.db.transaction() as session:
        try:
            await flags.review(
                session,
                session_id=session_id,
                decision=values["decision"],
                reviewer=who.username,
                reason=values["reason"][:2000],
                now=services.now(),
            )
        except flags.ReviewRefused:
            raise web.HTTPNotFound() from None
    await flash(request, f"review_saved_{values['decision']}", number=session_id)
    raise web.HTTPSeeOther(_safe_back(values["back"]))


@staff_route(*ERASE_PERSONAL_DATA)
async def erase_form(request: web.Request, who: Principal) -> web.Response:
    return await page(request, who, "erase.html", {"units": who.scope, "values": {}})


@staff_route(*ERASE_PERSONAL_DATA)
async def erase(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    values = await form_fields(request, "unit", "dossier")
    unit = next((u for u in who.scope if u.code == values["unit"]), None)
    if unit is None:
        raise web.HTTPForbidden(text="unit out of scope")
    now = services.now()
    async with services.db.transaction() as session:
        found = await session.scalar(
            select(Dossier).where(Dossier.unit_id == unit.id, Dossier.code == values["dossier"])
        )
        if found is None:
            context = {"units": who.scope, "values": values, "error": "dossier_unknown"}
            return await page(request, who, "erase.html", context, status=422)
        erased = await personal_data.erase_dossier(session, found, now)
        await audit.record(
            session,
            actor=who.username,
            action="dossier.erase",
            now=now,
            subject=f"{unit.code}/{found.code}",
            detail={"phone": erased.phone, "response": erased.response},
        )
    await flash(request, "erased", dossier=values["dossier"])
    raise web.HTTPSeeOther("/staff/privacy?" + urlencode({"unit": unit.code}))


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/reviews", review_list)
    app.router.add_post("/staff/reviews/{session_id}", review)
    app.router.add_get("/staff/privacy", erase_form)
    app.router.add_post("/staff/privacy/erase", erase)
