"""The reports / petitions (phản ánh, kiến nghị) work list: the unit's chair (and admins
covering the unit) read, assign to the unit's staff, answer and publish; a staff member sees
what was assigned to them and may answer it. The page shows the complaint's text, never who
sent it. Every action is written to the audit log.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from bot.complaints.desk import ComplaintError
from bot.staff.roles import EVERYONE, HANDLE_COMPLAINTS
from bot.web.keys import SERVICES
from bot.web.staff.access import Principal, staff_route
from bot.web.staff.pages import flash, form_fields, page
from reports.plain import printable
from storage.models import Complaint
from storage.repos import audit
from storage.repos import complaints as repo

MANAGE = HANDLE_COMPLAINTS  # within their unit scope: read all, assign, publish
MAX_TEXT = 4000
FLASHES = {
    "assign": "complaint_assigned",
    "start": "complaint_started",
    "answer": "complaint_answered",
    "publish": "complaint_published",
    "withdraw": "complaint_withdrawn",
}
ERRORS = (
    "complaint_answer_empty",
    "complaint_already_answered",
    "complaint_public_empty",
    "complaint_not_answered",
    "complaint_bad_assignee",
)


def may_manage(who: Principal, complaint: Complaint) -> bool:
    return who.role in MANAGE and who.covers(complaint.unit_id)


def may_see(who: Principal, complaint: Complaint) -> bool:
    return may_manage(who, complaint) or complaint.assignee_id == who.user_id


def _managed_units(who: Principal) -> list[int]:
    return who.unit_ids if who.role in MANAGE else []


def _page_number(text: str) -> int:
    return int(text) if text.isdigit() and 0 < int(text) < 100_000 else 1


@staff_route(*EVERYONE)
async def work_list(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    status = request.query.get("status", "")
    overdue = request.query.get("overdue") == "1"
    number = _page_number(request.query.get("page", "1"))
    now = services.now()
    async with services.db.transaction() as session:
        items, total = await repo.work_list(
            session,
            unit_ids=_managed_units(who),
            assignee_id=who.user_id,
            status=status if status in repo.STATUSES else None,
            overdue_at=now if overdue else None,
            page=number,
        )
    pages = max(1, -(-total // repo.PAGE_SIZE))
    units = {u.id: u.name for u in who.scope}
    context = {
        "items": items,
        "units": units,
        "now": now,
        "status": status,
        "overdue": overdue,
        "statuses": repo.STATUSES,
        "page_number": number,
        "pages": pages,
        "total": total,
        "days": services.settings.complaints.answer_within.days,
        "query": {"status": status, "overdue": "1" if overdue else ""},
        "printable": printable,
    }
    return await page(request, who, "complaints.html", context)


async def _visible(request: web.Request, who: Principal) -> repo.Item:
    """The complaint of the URL if the user may see it; 404 otherwise (never revealed)."""
    text = request.match_info["complaint_id"]
    services = request.app[SERVICES]
    async with services.db.transaction() as session:
        item = await repo.get(session, int(text)) if text.isdigit() else None
    if item is None or not may_see(who, item.complaint):
        raise web.HTTPNotFound()
    return item


def _back(complaint_id: int) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(f"/staff/complaints/{complaint_id}")


@staff_route(*EVERYONE)
async def show(request: web.Request, who: Principal) -> web.Response:
    services = request.app[SERVICES]
    item = await _visible(request, who)
    complaint = item.complaint
    async with services.db.transaction() as session:
        staff = await repo.unit_staff(session, complaint.unit_id)
        history = await repo.history(session, complaint.id)
    context = {
        "item": item,
        "text": printable(item.text),
        "unit": next((u.name for u in who.scope if u.id == complaint.unit_id), ""),
        "overdue": item.overdue(services.now()),
        "manage": may_manage(who, complaint),
        "staff": staff,
        "history": history,
        "error": error if (error := request.query.get("error", "")) in ERRORS else "",
    }
    return await page(request, who, "complaint.html", context)


Change = Callable[[AsyncSession, Complaint, datetime], Awaitable[None]]


async def _save(
    request: web.Request,
    who: Principal,
    complaint_id: int,
    action: str,
    change: Change,
    **detail: object,
) -> web.HTTPSeeOther:
    """Apply one staff action to the complaint and record it in the audit log, together;
    then the confirmation, back on the complaint's page."""
    services = request.app[SERVICES]
    now = services.now()
    async with services.db.transaction() as session:
        complaint = await session.get(Complaint, complaint_id)
        assert complaint is not None
        await change(session, complaint, now)
        await audit.record(
            session,
            actor=who.username,
            action=f"complaint.{action}",
            now=now,
            subject=str(complaint_id),
            detail=dict(detail) or None,
        )
    await flash(request, FLASHES[action])
    return _back(complaint_id)


def _refuse(complaint_id: int, key: str) -> web.HTTPSeeOther:
    return web.HTTPSeeOther(f"/staff/complaints/{complaint_id}?error={key}")


def _managed(who: Principal, item: repo.Item) -> int:
    if not may_manage(who, item.complaint):
        raise web.HTTPForbidden(text="only the unit's chair (or an admin) does this")
    return item.complaint.id


@staff_route(*EVERYONE)
async def assign(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    complaint_id = _managed(who, await _visible(request, who))
    wanted = (await form_fields(request, "assignee"))["assignee"]
    async with services.db.transaction() as session:
        complaint = await session.get(Complaint, complaint_id)
        assert complaint is not None
        staff = {str(u.id): u for u in await repo.unit_staff(session, complaint.unit_id)}
    chosen = staff.get(wanted)
    if wanted and chosen is None:
        raise _refuse(complaint_id, "complaint_bad_assignee")

    async def change(session: AsyncSession, complaint: Complaint, now: datetime) -> None:
        await repo.assign(session, complaint, chosen.id if chosen else None, now)

    to = chosen.username if chosen else None
    raise await _save(request, who, complaint_id, "assign", change, to=to)


@staff_route(*EVERYONE)
async def start(request: web.Request, who: Principal) -> web.StreamResponse:
    item = await _visible(request, who)
    raise await _save(request, who, item.complaint.id, "start", repo.start)


@staff_route(*EVERYONE)
async def answer(request: web.Request, who: Principal) -> web.StreamResponse:
    services = request.app[SERVICES]
    item = await _visible(request, who)
    fields = await form_fields(request, "answer")
    try:
        await services.complaints.answer(
            item.complaint.id, text=fields["answer"][:MAX_TEXT], actor=who.username
        )
    except ComplaintError as error:
        raise _refuse(item.complaint.id, error.key) from None
    await flash(request, FLASHES["answer"])
    raise _back(item.complaint.id)


@staff_route(*EVERYONE)
async def publish(request: web.Request, who: Principal) -> web.StreamResponse:
    item = await _visible(request, who)
    complaint_id = _managed(who, item)
    fields = await form_fields(request, "public", "public_text")
    public = fields["public"] == "1"
    text = printable(fields["public_text"]).strip()[:MAX_TEXT]
    if public and item.complaint.status != repo.ANSWERED:
        raise _refuse(complaint_id, "complaint_not_answered")
    if public and not text:
        raise _refuse(complaint_id, "complaint_public_empty")

    async def change(session: AsyncSession, complaint: Complaint, now: datetime) -> None:
        await repo.set_public(session, complaint, public=public, text=text, now=now)

    raise await _save(request, who, complaint_id, "publish" if public else "withdraw", change)


def setup(app: web.Application) -> None:
    app.router.add_get("/staff/complaints", work_list)
    app.router.add_get("/staff/complaints/{complaint_id}", show)
    app.router.add_post("/staff/complaints/{complaint_id}/assign", assign)
    app.router.add_post("/staff/complaints/{complaint_id}/start", start)
    app.router.add_post("/staff/complaints/{complaint_id}/answer", answer)
    app.router.add_post("/staff/complaints/{complaint_id}/public", publish)
