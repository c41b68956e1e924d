"""The authorization matrix: every staff route × every role × a foreign unit.

The routes are enumerated from the application's router, so a new staff route without an
access decision (or without a sample request here) fails this test. Each account belongs to
province A's commune; every request aims at commune B of another province (its unit, its
link, its clerk, its import result). Allowed roles must get nothing of B; other roles get 403;
anonymous visitors are sent to the login page. Finally B is checked to be untouched.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date, datetime, timedelta

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.flow_admin.catalog import DEFAULT_FLOWS
from bot.services import Services, build_services
from bot.staff import accounts as staff_accounts
from bot.web.server import build_app
from bot.web.staff.access import roles_of
from bot.web.staff.security import is_staff_path
from scheduler.clock import ManualClock
from storage.models import BindingCode, Comment, SurveyLink, SurveySession, User
from storage.repos import audit, complaints, flags, flow_versions, rechecks, units, users
from storage.repos.rechecks import DrawRequest
from tests.support.environment import fresh_database, make_settings
from tests.support.scheduler import complete_response
from tests.support.servers import serving
from tests.support.staff import StaffClient, add_staff

FOREIGN_MARKERS = ("XA-KHAC", "UBND xã Khác", "HS-B1", "clerk.b", "Phản ánh của xã Khác")
# A system admin without a unit covers every unit, so has no foreign unit: not in the matrix.
ACCOUNTS = {
    "admin.tinh": ("admin", "TINH-TEST"),
    "admin.xa": ("admin", "XA-HOATHANH"),
    "clerk.a": ("clerk", "XA-HOATHANH"),
    "chair.a": ("chair", "XA-HOATHANH"),
    "viewer.a": ("viewer", "TINH-TEST"),
}
MAU01 = (DEFAULT_FLOWS / "mau01.toml").read_text(encoding="utf-8")
ECHOED_PATH = re.compile(r'name="next" value="[^"]*"')
CSV = b"dossier_code,form\nHS-B2,citizen\n"
NOV_1, NOV_30 = date(2026, 11, 1), date(2026, 11, 30)


@pytest.fixture
async def world(sqlite_url: str, clock: ManualClock, port: int) -> AsyncIterator[dict]:
    database = await fresh_database(sqlite_url)
    services = build_services(make_settings(sqlite_url, port), clock, database)
    async with database.transaction() as session:
        now = clock()
        await units.add(session, "TINH-TEST", "Tỉnh Thử nghiệm", now=now)
        await units.add(
            session, "XA-HOATHANH", "UBND xã Hòa Thành", now=now, parent_code="TINH-TEST"
        )
        await units.add(session, "TINH-KHAC", "Tỉnh Khác", now=now)
        khac = await units.add(session, "XA-KHAC", "UBND xã Khác", now=now, parent_code="TINH-KHAC")
        mau01 = await flow_versions.latest(session, "mau01")
        assert mau01 is not None
        await flow_versions.assign(
            session, khac.id, "citizen", mau01.id
        )  # shown to B's admins only
        request = DrawRequest(khac.id, [khac.id], "2026-11", NOV_1, NOV_30, share=10, seed=1)
        foreign_draw, _ = await rechecks.draw(
            session, request, zone=services.zone, now=now, by="test"
        )
        complaint = await foreign_complaint(session, khac.id, now)
    for username, (role, unit) in ACCOUNTS.items():
        await add_staff(services, username, role, unit)
    await add_staff(services, "clerk.b", "clerk", "XA-KHAC")
    foreign = await services.links.create(unit_code="XA-KHAC", dossier_code="HS-B1")
    foreign_desk = await services.desks.add(
        unit_code="XA-KHAC", name="Quầy của xã Khác", actor="test"
    )
    flagged_b = await flagged_response(services)
    binding = await staff_accounts.new_binding(
        services, username="clerk.b", channel="telegram", actor="test"
    )
    async with database.transaction() as session:
        bound_user = await users.consume_binding_code(
            session, code=binding.code, channel="telegram", chat_id="777", now=clock()
        )
        assert bound_user is not None
        bound = await users.bindings_of(session, [bound_user.id])
    async with serving(services, port) as base, StaffClient(base) as clerk_b:
        await clerk_b.login("clerk.b")
        await clerk_b.get("/staff/import")
        status, body = await clerk_b.post("/staff/import", upload(clerk_b.csrf, "XA-KHAC", CSV))
        assert status == 200
        result = re.search(r"/staff/import/([^\"]+)\.csv", body).group(1)  # type: ignore[union-attr]
        yield {
            "services": services,
            "app": build_app(services),  # the same routes, for enumerating them
            "base": base,
            "token": foreign.link.token,
            "binding": bound[bound_user.id][0].id,
            "result": result,
            "draw": foreign_draw.id,
            "complaint": complaint,
            "flagged": flagged_b,
            "desk": foreign_desk.desk.code,
        }
    await database.dispose()


async def foreign_complaint(session: AsyncSession, unit_id: int, now: datetime) -> int:
    """A report / petition of commune B, written to B's chair only."""
    comment = Comment(
        unit_id=unit_id, is_complaint=True, text="Phản ánh của xã Khác", created_at=now
    )
    session.add(comment)
    await session.flush()
    opened = await complaints.open_for_comment(
        session, comment, now=now, answer_within=timedelta(days=15)
    )
    assert opened is not None
    return opened.id


async def flagged_response(services: Services) -> int:
    """A completed response of unit B (on its link HS-B1), flagged: the review pages must
    never show or change it."""
    await complete_response(services, "4040", "HS-B1", [4] * 22, unit="XA-KHAC")
    async with services.db.transaction() as session:
        survey = await session.scalar(select(SurveySession))
        assert survey is not None and survey.completed_at is not None
        await flags.raise_flag(
            session, session_id=survey.id, flag="too_fast", evidence={}, now=services.now()
        )
        return survey.id


def upload(csrf: str, unit: str, content: bytes, name: str = "list.csv") -> aiohttp.FormData:
    data = aiohttp.FormData({"csrf": csrf, "unit": unit})
    data.add_field("file", content, filename=name, content_type="text/csv")
    return data


def samples(world: dict) -> dict[tuple[str, str], tuple[str, object, str]]:
    """(method, route) → (path, form data, kind). kind: "list" (allowed roles see a page
    without B), "foreign" (allowed roles are refused), "global" (not about a unit)."""
    token, result, draw = world["token"], world["result"], world["draw"]
    flows = "/staff/admin/flows"
    complaint = f"/staff/complaints/{world['complaint']}"
    return {
        ("GET", "/staff/rechecks"): ("/staff/rechecks", None, "list"),
        ("POST", "/staff/rechecks"): (
            "/staff/rechecks",
            {"unit": "XA-KHAC", "period": "2026-11", "share": "10", "seed": "1"},
            "foreign",
        ),
        ("GET", "/staff/rechecks/{draw_id}"): (f"/staff/rechecks/{draw}", None, "foreign"),
        ("POST", "/staff/rechecks/{draw_id}/items/{item_id}"): (
            f"/staff/rechecks/{draw}/items/1",
            {"outcome": "confirmed"},
            "foreign",
        ),
        ("GET", "/staff/paper"): ("/staff/paper?unit=XA-KHAC", None, "foreign"),
        ("POST", "/staff/paper"): (
            "/staff/paper",
            {"unit": "XA-KHAC", "form": "citizen", "dossier": "HS-B7"},
            "foreign",
        ),
        ("GET", "/staff/funnel"): ("/staff/funnel?unit=XA-KHAC", None, "foreign"),
        ("GET", "/staff/links/slips.pdf"): ("/staff/links/slips.pdf", None, "foreign"),
        ("GET", "/staff/import/{result_id}/slips.pdf"): (
            f"/staff/import/{result}/slips.pdf",
            None,
            "foreign",
        ),
        ("GET", "/staff/import/templates/danh-sach-ho-so.{ext}"): (
            "/staff/import/templates/danh-sach-ho-so.csv",
            None,
            "global",
        ),
        ("GET", "/staff/complaints"): ("/staff/complaints", None, "list"),
        ("GET", "/staff/complaints/{complaint_id}"): (complaint, None, "foreign"),
        ("POST", "/staff/complaints/{complaint_id}/assign"): (
            f"{complaint}/assign",
            {"assignee": ""},
            "foreign",
        ),
        ("POST", "/staff/complaints/{complaint_id}/start"): (f"{complaint}/start", {}, "foreign"),
        ("POST", "/staff/complaints/{complaint_id}/answer"): (
            f"{complaint}/answer",
            {"answer": "trả lời"},
            "foreign",
        ),
        ("POST", "/staff/complaints/{complaint_id}/public"): (
            f"{complaint}/public",
            {"public": "1", "public_text": "x"},
            "foreign",
        ),
        ("POST", "/staff/results/publish"): (
            "/staff/results/publish",
            {"unit": "XA-KHAC", "period": "2026-11", "action": "publish"},
            "foreign",
        ),
        ("GET", "/staff"): ("/staff", None, "list"),
        ("GET", "/staff/"): ("/staff/", None, "list"),
        ("GET", "/staff/links/new"): ("/staff/links/new", None, "list"),
        ("POST", "/staff/links/new"): (
            "/staff/links/new",
            {"unit": "XA-KHAC", "dossier": "HS-B9", "form": "citizen"},
            "foreign",
        ),
        ("GET", "/staff/links"): ("/staff/links", None, "list"),
        ("GET", "/staff/links/{token}"): (f"/staff/links/{token}", None, "foreign"),
        ("GET", "/staff/links/{token}/slip"): (f"/staff/links/{token}/slip", None, "foreign"),
        ("GET", "/staff/import"): ("/staff/import", None, "list"),
        ("GET", "/staff/reports"): ("/staff/reports?unit=XA-KHAC", None, "foreign"),
        ("GET", "/staff/reports/week"): ("/staff/reports/week?unit=XA-KHAC", None, "foreign"),
        ("GET", "/staff/reports/export"): (
            "/staff/reports/export?unit=XA-KHAC&format=csv",
            None,
            "foreign",
        ),
        ("GET", "/staff/reviews"): ("/staff/reviews", None, "list"),
        ("POST", "/staff/reviews/{session_id}"): (
            f"/staff/reviews/{world['flagged']}",
            {"decision": "exclude", "reason": "thử"},
            "foreign",
        ),
        ("GET", "/staff/privacy"): ("/staff/privacy", None, "list"),
        ("POST", "/staff/privacy/erase"): (
            "/staff/privacy/erase",
            {"unit": "XA-KHAC", "dossier": "HS-B1"},
            "foreign",
        ),
        ("POST", "/staff/links/{token}/reissue"): (f"/staff/links/{token}/reissue", {}, "foreign"),
        ("POST", "/staff/import"): ("/staff/import", "upload:XA-KHAC", "foreign"),
        ("GET", "/staff/import/{result_id}.csv"): (f"/staff/import/{result}.csv", None, "foreign"),
        ("GET", "/staff/desks"): ("/staff/desks", None, "list"),
        ("POST", "/staff/desks"): (
            "/staff/desks",
            {"unit": "XA-KHAC", "name": "Quầy B"},
            "foreign",
        ),
        ("GET", "/staff/desks/{code}/report"): (
            f"/staff/desks/{world['desk']}/report?period=2026-11",
            None,
            "foreign",
        ),
        ("GET", "/staff/admin/units"): ("/staff/admin/units", None, "list"),
        ("POST", "/staff/admin/units"): (
            "/staff/admin/units",
            {"code": "XA-MOI", "name": "Xã Mới", "parent": "XA-KHAC"},
            "foreign",
        ),
        ("GET", "/staff/admin/units/{code}"): ("/staff/admin/units/XA-KHAC", None, "foreign"),
        ("POST", "/staff/admin/units/{code}"): (
            "/staff/admin/units/XA-KHAC",
            {"name": "Bị đổi tên", "annual_dossiers": "1", "quota": ""},
            "foreign",
        ),
        ("GET", "/staff/admin/users"): ("/staff/admin/users", None, "list"),
        ("POST", "/staff/admin/users"): (
            "/staff/admin/users",
            {"username": "ke.gian", "password": "0123456789ab", "role": "clerk", "unit": "XA-KHAC"},
            "foreign",
        ),
        ("POST", "/staff/admin/users/{username}/active"): (
            "/staff/admin/users/clerk.b/active",
            {"active": "0"},
            "foreign",
        ),
        ("POST", "/staff/admin/users/{username}/password"): (
            "/staff/admin/users/clerk.b/password",
            {"password": "a-new-password-123"},
            "foreign",
        ),
        ("POST", "/staff/admin/users/{username}/unbind"): (
            "/staff/admin/users/clerk.b/unbind",
            {"binding": str(world["binding"])},
            "foreign",
        ),
        ("POST", "/staff/admin/users/{username}/bind"): (
            "/staff/admin/users/clerk.b/bind",
            {"channel": "telegram"},
            "foreign",
        ),
        ("GET", "/staff/admin/settings"): ("/staff/admin/settings", None, "top"),
        ("POST", "/staff/admin/settings"): (
            "/staff/admin/settings",
            {"expire_days": "7", "telegram": "on", "zalo": "on"},
            "top_post",
        ),
        ("POST", "/staff/admin/settings/zalo-oa-token"): (
            "/staff/admin/settings/zalo-oa-token",
            {"refresh_token": "rt-not-stored"},
            "top_no_oa",  # no Official Account in this world: nothing to store it for
        ),
        ("GET", flows): (flows, None, "global"),
        ("POST", f"{flows}/edit"): (
            f"{flows}/edit",
            {"source": MAU01, "action": "publish"},
            "publish",
        ),
        ("POST", f"{flows}/preview"): (
            f"{flows}/preview",
            {"source": MAU01, "state": ""},
            "global",
        ),
        ("POST", f"{flows}/upload"): (f"{flows}/upload", "flowfile", "global"),
        ("GET", flows + "/{key}/edit"): (f"{flows}/mau01/edit", None, "global"),
        ("GET", flows + "/{key}/wording"): (f"{flows}/mau01/wording", None, "global"),
        ("GET", flows + "/{key}/preview"): (f"{flows}/mau01/preview?q=2.1", None, "global"),
        ("POST", f"{flows}/wording"): (f"{flows}/wording", {"version_id": "1"}, "global"),
        ("GET", flows + "/{key}/v{version}"): (f"{flows}/mau01/v1", None, "global"),
        ("GET", flows + "/{key}/v{version}/download"): (
            f"{flows}/mau01/v1/download",
            None,
            "global",
        ),
    }


def route_key(route: web.AbstractRoute) -> tuple[str, str]:
    canonical = re.sub(r"\{(\w+):[^}]*\}", r"{\1}", route.resource.canonical)  # type: ignore[union-attr]
    canonical = canonical.replace("{key:[A-Za-z0-9][A-Za-z0-9._-]{0,63}}", "{key}")
    return route.method, canonical


def staff_routes(app: web.Application) -> list[web.AbstractRoute]:
    return [
        r
        for r in app.router.routes()
        if r.method != "HEAD" and r.resource is not None and is_staff_path(r.resource.canonical)
    ]


async def send(client: StaffClient, path: str, data: object) -> tuple[int, str, str]:
    if data == "upload:XA-KHAC":
        data = upload(client.csrf, "XA-KHAC", CSV)
    elif data == "flowfile":
        data = upload(client.csrf, "", MAU01.encode(), "mau01.toml")
    elif isinstance(data, dict):
        data = {"csrf": client.csrf, **data}
    method = client.http.get if data is None else client.http.post
    kwargs = {} if data is None else {"data": data}
    async with method(client.base + path, allow_redirects=False, **kwargs) as response:
        return response.status, await response.text(), response.headers.get("Location", "")


async def test_every_staff_route_checks_role_and_unit_scope(world: dict) -> None:
    app, base = world["app"], world["base"]
    table = samples(world)
    routes = staff_routes(app)
    keys = {route_key(r) for r in routes}
    for route in routes:
        assert roles_of(route.handler) is not None, f"{route_key(route)} has no access check"
    public = {k for r in routes if roles_of(r.handler) == () for k in [route_key(r)]}
    assert public == {
        ("GET", "/login"),
        ("POST", "/login"),
        ("POST", "/logout"),
        ("POST", "/locale"),
    }
    missing = keys - public - set(table)
    assert not missing, f"routes without a sample in the authorization matrix: {missing}"
    handlers = {route_key(r): r.handler for r in routes}

    async with StaffClient(base) as anonymous:
        await anonymous.get("/login")
        for key, (path, data, _kind) in table.items():
            status, _body, location = await send(anonymous, path, data)
            assert status == 303 and location.startswith("/login"), (key, status)

    for username, (role, _unit) in ACCOUNTS.items():
        async with StaffClient(base) as client:
            status, _ = await client.login(username)
            assert status == 200
            for key, (path, data, kind) in table.items():
                status, body, _location = await send(client, path, data)
                where = (username, key, status)
                if role not in roles_of(handlers[key]):  # type: ignore[operator]
                    assert status == 403, where
                    continue
                if kind == "list":
                    assert status == 200, where
                elif kind == "foreign":
                    assert status in (403, 404, 422), where
                elif kind in ("publish", "top", "top_post"):
                    top = username == "admin.tinh"  # a province admin: flows, settings
                    success = 200 if kind == "top" else 303
                    assert status == (success if top else 403), where
                elif kind == "top_no_oa":
                    assert status == (404 if username == "admin.tinh" else 403), where
                else:
                    assert status == 200, where
                shown = ECHOED_PATH.sub("", body)  # the language switch repeats the URL
                for marker in FOREIGN_MARKERS:
                    assert marker not in shown, (*where, marker)

    services: Services = world["services"]
    async with services.db.transaction() as session:
        khac = await units.require(session, "XA-KHAC")
        assert khac.name == "UBND xã Khác" and khac.annual_dossiers is None
        assert [f.decision for f in await flags.flags_of(session, world["flagged"])] == [None]
        assert await units.descendants(session, khac.id) == []
        links_b = (
            await session.execute(
                SurveyLink.__table__.select().where(SurveyLink.unit_id == khac.id)
            )
        ).all()
        assert len(links_b) == 2  # HS-B1 of the fixture, HS-B2 of clerk.b's own import
        assert len(await rechecks.draws_for(session, [khac.id])) == 1  # the fixture's own
        password_changes = await audit.entries(session, "user.password")
        assert password_changes == []
        clerk_b = (
            await session.execute(User.__table__.select().where(User.username == "clerk.b"))
        ).one()
        assert clerk_b.active
        codes = (await session.execute(BindingCode.__table__.select())).all()
        assert len(codes) == 1  # the fixture's own, used: no new binding link for clerk.b
        assert len((await users.bindings_of(session, [clerk_b.id]))[clerk_b.id]) == 1
        assert [v.version for v in await flow_versions.versions(session, "mau01")] == [1]
        assert (
            await session.execute(User.__table__.select().where(User.username == "ke.gian"))
        ).all() == []
