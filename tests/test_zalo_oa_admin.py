"""What staff see of Zalo trouble: a ZNS error on the clerk's link page, the admins' banner
and the degraded /healthz when the OA refresh fails, and the form that stores a fresh refresh
token (top admins only, CSRF, audited, never echoed). Fake OAuth/ZNS, SQLite and PostgreSQL.
"""

from __future__ import annotations

import logging

import aiohttp
import pytest

from bot.scheduling import jobs_for
from scheduler.clock import ManualClock
from storage.db import Database
from storage.repos import audit, oa_tokens
from tests.fakes.zalo_api import FakeZaloOpenAPI
from tests.support.servers import serving
from tests.support.staff import StaffClient, add_staff
from tests.support.zns import zns_services

TOKEN_FORM = "/staff/admin/settings/zalo-oa-token"
FRESH = "rt-granted-again-7Qx"


async def health(base: str) -> tuple[int, dict[str, str]]:
    async with aiohttp.ClientSession() as http, http.get(f"{base}/healthz") as response:
        return response.status, await response.json()


async def test_a_108_is_shown_to_the_clerk_in_both_languages(
    database: Database, clock: ManualClock, port: int, zalo_open_api: FakeZaloOpenAPI
) -> None:
    zalo_open_api.zns_errors = [-108]
    async with (
        zns_services(database, clock, port, zalo_open_api) as services,
        serving(services, port) as base,
        StaffClient(base) as clerk,
    ):
        await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
        await clerk.login("thu.clerk")
        await clerk.get("/staff/links/new")
        form = {"unit": "XA-HOATHANH", "dossier": "HS-108", "form": "citizen"}
        status, shown = await clerk.post("/staff/links/new", {**form, "phone": "0912345678"})
        assert status == 200  # the link was created and its page shown
        assert "Thông báo kết quả qua Zalo (ZNS)" in shown
        assert "Không gửi được" in shown
        assert "Zalo báo số điện thoại không hợp lệ" in shown
        assert "mã -108" in shown
        again = await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-108")
        path = f"/staff/links/{again.link.token}"
        assert f'href="{path}/slip"' in shown
        await clerk.post("/locale", {"locale": "en", "next": path})
        status, english = await clerk.get(path)
        assert "Not sent" in english and "Zalo says the phone number is invalid" in english
        status, listing = await clerk.get("/staff/links")
        assert "Not sent" in listing and "phone number is invalid" not in listing
        # a second submission of the same dossier sends nothing again
        await clerk.post("/staff/links/new", {**form, "phone": "0912345678"})
        assert len(zalo_open_api.calls_to("zns")) == 1


async def test_a_failed_refresh_warns_admins_until_a_fresh_token_is_stored(
    database: Database,
    clock: ManualClock,
    port: int,
    zalo_open_api: FakeZaloOpenAPI,
    caplog: pytest.LogCaptureFixture,
) -> None:
    zalo_open_api.fail_refresh()
    async with (
        zns_services(database, clock, port, zalo_open_api) as services,
        serving(services, port) as base,
        StaffClient(base) as admin,
        StaffClient(base) as clerk,
    ):
        assert await health(base) == (200, {"status": "ok"})
        info = await services.links.create(
            unit_code="XA-HOATHANH", dossier_code="HS-1", phone="0912345678"
        )
        assert info.notice is not None and info.notice.status == "waiting"
        with caplog.at_level(logging.INFO, logger="bot.web.oa_health"):
            for _ in range(2):
                status, body = await health(base)
                assert (status, body["status"]) == (200, "degraded")
                assert "-14014" in body["zalo_oa"] and "set-token" in body["zalo_oa"]
        degraded = [r for r in caplog.records if "Zalo OA degraded" in r.getMessage()]
        assert len(degraded) == 1  # one line when it turns degraded, not one per check
        await add_staff(services, "quan.tri", "admin", None)
        await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
        await admin.login("quan.tri")
        await clerk.login("thu.clerk")
        for page in ("/staff/", "/staff/links"):
            status, html = await admin.get(page)
            assert "Zalo OA cần một refresh token mới" in html
            assert "sipas-bot zalo-oa set-token --refresh-token-stdin" in html
        status, html = await clerk.get("/staff/")
        assert status == 200 and "refresh token" not in html

        zalo_open_api.refresh_failure = None  # the admin granted access again in Zalo
        zalo_open_api.newest_refresh_token = FRESH
        await admin.get("/staff/admin/settings")
        status, html = await admin.post(TOKEN_FORM, {"refresh_token": f"  {FRESH}\n"})
        assert status == 200 and "Đã lưu refresh token mới" in html
        assert FRESH not in html and "Zalo OA cần một refresh token mới" not in html
        async with services.db.transaction() as session:
            row = await oa_tokens.load(session, zalo_open_api.app_id)
            assert row is not None and (row.refresh_token, row.last_error) == (FRESH, None)
            entries = await audit.entries(session, "zalo_oa.set_token")
        assert [(e.actor, e.subject) for e in entries] == [("quan.tri", zalo_open_api.app_id)]
        assert FRESH not in str(entries[0].detail)
        assert await health(base) == (200, {"status": "ok"})

        clock.advance(hours=1)  # the notice's retry is due: it goes out with the new token
        await jobs_for(services).tick()
        assert [c.answer["error"] for c in zalo_open_api.calls_to("zns")] == [0]
        after = await services.links.info(info.link.token)
        assert after is not None and after.notice is not None and after.notice.status == "sent"


async def test_only_top_admins_store_a_token_and_bad_input_is_kindly_refused(
    database: Database, clock: ManualClock, port: int, zalo_open_api: FakeZaloOpenAPI
) -> None:
    async with (
        zns_services(database, clock, port, zalo_open_api) as services,
        serving(services, port) as base,
    ):
        await add_staff(services, "quan.tri", "admin", None)
        await add_staff(services, "xa.admin", "admin", "XA-HOATHANH")
        await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
        for user in ("xa.admin", "thu.clerk"):
            async with StaffClient(base) as someone:
                await someone.login(user)
                status, _html = await someone.post(TOKEN_FORM, {"refresh_token": FRESH})
                assert status == 403
        async with StaffClient(base) as admin:
            await admin.login("quan.tri")
            status, settings_page = await admin.get("/staff/admin/settings")
            assert 'name="refresh_token"' in settings_page and 'type="password"' in settings_page
            status, html = await admin.post(TOKEN_FORM, {"refresh_token": "   "})
            assert status == 422 and "Bạn chưa dán refresh token" in html
            status, html = await admin.post(TOKEN_FORM, {"refresh_token": "rt one two"})
            assert status == 422 and "rt one two" not in html
            async with admin.http.post(
                base + TOKEN_FORM, data={"refresh_token": FRESH}
            ) as response:  # no CSRF token
                assert response.status == 403
        async with services.db.transaction() as session:
            assert await oa_tokens.load(session, zalo_open_api.app_id) is None
            assert await audit.entries(session, "zalo_oa.set_token") == []


async def test_without_an_oa_there_is_no_form_and_health_is_plain(
    database: Database, clock: ManualClock, port: int
) -> None:
    async with zns_services(database, clock, port, None) as services:
        await add_staff(services, "quan.tri", "admin", None)
        async with serving(services, port) as base, StaffClient(base) as admin:
            assert await health(base) == (200, {"status": "ok"})
            await admin.login("quan.tri")
            status, html = await admin.get("/staff/admin/settings")
            assert status == 200 and 'name="refresh_token"' not in html
            status, _html = await admin.post(TOKEN_FORM, {"refresh_token": FRESH})
            assert status == 404
