"""Admin pages over HTTP: units (tree, volume, quota, flow versions per form), accounts
(add, deactivate, one-time binding links) and flow files (download, upload, errors at their
line, publish audit). The flow-version choice is proven on a respondent's conversation.
"""

from __future__ import annotations

import re
from datetime import timedelta

import aiohttp

from bot.conversation.turns import texts_of
from bot.flow_admin.catalog import DEFAULT_FLOWS
from bot.services import Services
from flows import engine
from flows.outbound import ConversationRef
from storage.repos import audit, flow_versions, units, users
from tests.support.channels import RecordingChannel
from tests.support.staff import PASSWORD, StaffClient, add_staff

MAU01 = (DEFAULT_FLOWS / "mau01.toml").read_text(encoding="utf-8")
OLD = "Nơi ngồi chờ tại {place} có đủ chỗ ngồi"
NEW = "Chỗ ngồi chờ tại {place} có đủ không"


async def test_admin_adds_units_and_sets_volume_and_flows(services: Services, server: str) -> None:
    await add_staff(services, "so.noivu", "admin", "TINH-TEST")
    async with StaffClient(server) as admin:
        await admin.login("so.noivu")
        await admin.get("/staff/admin/units")
        form = {
            "code": "XA-MOI",
            "name": "UBND xã Mới",
            "parent": "TINH-TEST",
            "annual_dossiers": "850",
            "quota": "",
        }
        status, body = await admin.post("/staff/admin/units", form)
        assert status == 200 and "Đã thêm đơn vị XA-MOI." in body
        assert re.search(
            r"UBND xã Mới</a></td>\s*<td>XA-MOI</td>\s*<td>850</td>\s*<td>100</td>", body
        )
        status, body = await admin.post("/staff/admin/units", {**form, "code": "xa moi"})
        assert status == 422 and "Mã chỉ gồm chữ in hoa" in body
        status, body = await admin.post("/staff/admin/units", {**form, "parent": ""})
        assert status == 422  # a province admin adds units inside the province only

        # Publish a wording fix, then pin XA-MOI to version 1 for citizens.
        status, body = await admin.post(
            "/staff/admin/flows/edit", {"source": MAU01.replace(OLD, NEW), "action": "publish"}
        )
        assert "Đã công bố mau01 phiên bản 2." in body
        async with services.db.transaction() as session:
            v1, v2 = await flow_versions.versions(session, "mau01")
        await admin.get("/staff/admin/units/XA-MOI")
        update = {
            "name": "UBND xã Mới",
            "annual_dossiers": "850",
            "quota": "120",
            "flow_citizen": str(v1.id),
            "flow_organization": "",
        }
        status, body = await admin.post("/staff/admin/units/XA-MOI", update)
        assert status == 200 and "Đã lưu." in body
        assert f'<option value="{v1.id}" selected>' in body
        status, body = await admin.get("/staff/admin/flows")
        assert re.search(r"<td>1</td>(\s*<td>[^<]*</td>){3}\s*<td>UBND xã Mới</td>", body)
    async with services.db.transaction() as session:
        moi = await units.require(session, "XA-MOI")
        assert (moi.annual_dossiers, moi.quota) == (850, 120)
        assert (await flow_versions.for_unit(session, moi.id, "citizen")).id == v1.id  # type: ignore[union-attr]
        hoathanh = await units.require(session, "XA-HOATHANH")
        assert (await flow_versions.for_unit(session, hoathanh.id, "citizen")).id == v2.id  # type: ignore[union-attr]
        logged = [e.action for e in await audit.entries(session)]
    assert {"unit.add", "unit.update", "flow.publish"} <= set(logged)

    pinned = await services.links.create(unit_code="XA-MOI", dossier_code="HS-1")
    following = await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-1")
    for info, wording in ((pinned, OLD), (following, NEW)):
        ref = ConversationRef("web", info.link.token)
        await services.conversation.turn(ref, engine.Start(), token=info.link.token)
        reply = await services.conversation.turn(
            ref, engine.Choose(engine.CONSENT, "yes"), token=info.link.token
        )
        assert wording.replace("{place}", "Bộ phận Một cửa") in texts_of(reply.messages)[-1]


async def test_admin_manages_accounts_and_binding_links(services: Services, server: str) -> None:
    services.channels.add(RecordingChannel("telegram"))
    await add_staff(services, "admin.xa", "admin", "XA-HOATHANH")
    async with StaffClient(server) as admin:
        await admin.login("admin.xa")
        await admin.get("/staff/admin/users")
        form = {
            "username": "chu.tich",
            "password": PASSWORD,
            "role": "chair",
            "unit": "XA-HOATHANH",
        }
        status, body = await admin.post("/staff/admin/users", form)
        assert "Đã thêm tài khoản chu.tich." in body
        status, body = await admin.post(
            "/staff/admin/users", {**form, "username": "x", "password": "short"}
        )
        assert status == 422 and "Mật khẩu có ít nhất 10 ký tự." in body
        status, body = await admin.post("/staff/admin/users", {**form, "unit": "", "role": "admin"})
        assert status == 422  # only a system admin creates accounts without a unit
        status, body = await admin.post("/staff/admin/users/chu.tich/bind", {"channel": "telegram"})
        link = re.search(r"https://t\.me/sipas_test_bot\?start=(b_[A-Za-z0-9_-]+)", body)
        assert status == 200 and link is not None
        status, body = await admin.post("/staff/admin/users/chu.tich/password", {"password": "x"})
        assert "Mật khẩu có ít nhất 10 ký tự." in body
        fresh = "mật khẩu mới của chủ tịch"
        status, body = await admin.post("/staff/admin/users/chu.tich/password", {"password": fresh})
        assert "Đã đặt mật khẩu mới cho chu.tich." in body
    async with StaffClient(server) as chair:
        status, body = await chair.login("chu.tich")
        assert status == 401
        status, body = await chair.login("chu.tich", fresh)
        assert "Đang đăng nhập: chu.tich (chủ tịch)" in body
        status, _ = await chair.get("/staff/links/new")
        assert status == 403
    async with services.db.transaction() as session:
        user = await users.consume_binding_code(
            session, code=link.group(1), channel="telegram", chat_id="4242", now=services.now()
        )
        assert user is not None and user.username == "chu.tich"
        assert [e.subject for e in await audit.entries(session, "user.bind")] == ["chu.tich"]
        binding = (await users.bindings_of(session, [user.id]))[user.id][0]
    async with StaffClient(server) as admin:
        await admin.login("admin.xa")
        status, body = await admin.get("/staff/admin/users")
        assert "Telegram (24/11/2026 09:00)" in body
        status, body = await admin.post(
            "/staff/admin/users/chu.tich/unbind", {"binding": str(binding.id)}
        )
        assert "Đã lưu." in body and "telegram (" not in body
    async with services.db.transaction() as session:
        assert await users.user_for_chat(session, "telegram", "4242") is None
        assert [e.subject for e in await audit.entries(session, "user.unbind")] == ["chu.tich"]


async def test_flow_files_download_upload_and_line_errors(services: Services, server: str) -> None:
    await add_staff(services, "so.noivu", "admin", "TINH-TEST")
    async with StaffClient(server) as admin:
        await admin.login("so.noivu")
        async with admin.http.get(f"{server}/staff/admin/flows/mau01/v1/download") as response:
            assert response.headers["Content-Disposition"] == 'attachment; filename="mau01-v1.toml"'
            assert await response.text() == MAU01
        await admin.get("/staff/admin/flows")
        broken = MAU01.replace('factor = "F2"', 'factor = "F9"', 1)
        line = broken.splitlines().index('factor = "F9"') + 1
        data = aiohttp.FormData({"csrf": admin.csrf})
        data.add_field("file", broken.encode(), filename="mau01.toml", content_type="text/plain")
        status, body = await admin.post("/staff/admin/flows/upload", data)
        # in Vietnamese, at the factor's line, naming the question by its id and number
        assert status == 422
        assert f"Dòng {line}</strong> — câu 2.1 (câu thứ 5): câu" in body
        assert "không có yếu tố &#39;F9&#39;" in body
        status, body = await admin.post(
            "/staff/admin/flows/edit", {"source": MAU01, "action": "publish"}
        )
        assert "Nội dung không đổi so với phiên bản 1" in body
        status, body = await admin.post(
            "/staff/admin/flows/preview",
            {"source": MAU01, "state": "{not json", "choice": "yes", "prompt": engine.CONSENT},
        )
        assert status == 200 and OLD in body  # a malformed preview state starts again
    async with services.db.transaction() as session:
        assert len(await flow_versions.versions(session, "mau01")) == 1


async def test_run_time_settings_apply_at_once(services: Services, server: str) -> None:
    services.channels.add(RecordingChannel("telegram"))
    await add_staff(services, "so.noivu", "admin", "TINH-TEST")
    async with StaffClient(server) as admin:
        await admin.login("so.noivu")
        status, body = await admin.get("/staff/admin/settings")
        assert status == 200 and "14 ngày" in body
        status, body = await admin.post("/staff/admin/settings", {"expire_days": "400"})
        assert status == 422 and "Số ngày phải từ 1 đến 90." in body
        form = {"expire_days": "3", "show_zalo": "on"}  # the telegram box left unticked
        status, body = await admin.post("/staff/admin/settings", form)
        assert status == 200 and "Đã lưu." in body
    info = await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-3")
    assert info.link.expires_at - services.now() == timedelta(days=3)
    assert services.links.as_json(info)["links"]["telegram"] is None  # switched off
    async with services.db.transaction() as session:
        changes = await audit.entries(session, "settings.change")
    assert [c.detail for c in changes] == [
        {"runtime.links.expire_days": "3", "runtime.channels.telegram": "off"}
    ]
