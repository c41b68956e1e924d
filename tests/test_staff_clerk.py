"""The clerk's pages over HTTP: links one by one (idempotent), the slip, recent statuses,
bulk import with good and bad rows, and unit scope (commune A never sees commune B).
"""

from __future__ import annotations

import re

import aiohttp

from bot.services import Services
from storage.repos import audit, links, units
from tests.support.staff import StaffClient, add_staff

LINK_FORM = {"unit": "XA-HOATHANH", "form": "citizen", "procedure": "Chứng thực", "phone": ""}
TOKEN = re.compile(r'src="/s/([A-Za-z0-9_-]+)/qr\.png"')


async def test_clerk_creates_a_link_once_and_sees_its_status(
    services: Services, server: str
) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as client:
        await client.login("thu.clerk")
        await client.get("/staff/links/new")
        status, body = await client.post("/staff/links/new", {**LINK_FORM, "dossier": "HS-7"})
        assert status == 200 and "Đã tạo đường liên kết cho hồ sơ HS-7." in body
        token = TOKEN.search(body).group(1)  # type: ignore[union-attr]
        assert f"{server}/s/{token}" in body and "UBND xã Hòa Thành kính mời" in body
        status, body = await client.post("/staff/links/new", {**LINK_FORM, "dossier": "HS-7"})
        assert "đã có đường liên kết" in body and TOKEN.search(body).group(1) == token  # type: ignore[union-attr]
        status, slip = await client.get(f"/staff/links/{token}/slip")
        assert status == 200 and "size:A6" in slip and "quét mã QR" in slip
        assert "UBND xã Hòa Thành" in slip
        async with client.http.get(f"{server}/s/{token}/qr.png") as response:
            assert response.content_type == "image/png"
        status, body = await client.get("/staff/links")
        assert "HS-7" in body and "đã tạo" in body
        status, body = await client.post("/staff/links/new", {**LINK_FORM, "dossier": "x y"})
        assert status == 422 and "Mã hồ sơ chỉ gồm" in body
    async with services.db.transaction() as session:
        created = await audit.entries(session, "link.create")
    assert [(e.actor, e.subject) for e in created] == [("thu.clerk", "XA-HOATHANH/HS-7")]


async def test_clerk_picks_a_question_set_by_id(services: Services, server: str) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as client:
        await client.login("thu.clerk")
        status, form = await client.get("/staff/links/new")
        assert '<option value="qd1001">' in form and '<label for="flow">Bộ câu hỏi' in form
        fields = {**LINK_FORM, "dossier": "HS-Q", "flow": "qd1001"}
        status, body = await client.post("/staff/links/new", fields)
        assert status == 200 and "Đã tạo đường liên kết cho hồ sơ HS-Q." in body
        fields = {**LINK_FORM, "dossier": "HS-R", "flow": "khong-co"}
        status, body = await client.post("/staff/links/new", fields)
        assert status == 422 and "Bộ câu hỏi này chưa được công bố." in body
    async with services.db.transaction() as session:
        link = await links.for_dossier(
            session, (await units.require(session, "XA-HOATHANH")).id, "HS-Q"
        )
    assert link is not None and link.flow_key == "qd1001"


async def test_a_clerk_never_reaches_another_commune(services: Services, server: str) -> None:
    async with services.db.transaction() as session:
        await units.add(
            session, "XA-KHAC", "UBND xã Khác", now=services.now(), parent_code="TINH-TEST"
        )
    foreign = await services.links.create(unit_code="XA-KHAC", dossier_code="HS-B1")
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as client:
        await client.login("thu.clerk")
        status, body = await client.get("/staff/links/new")
        assert "UBND xã Khác" not in body
        status, body = await client.post(
            "/staff/links/new", {**LINK_FORM, "unit": "XA-KHAC", "dossier": "HS-9"}
        )
        assert status == 422
        status, body = await client.get(f"/staff/links/{foreign.link.token}")
        assert status == 404 and "HS-B1" not in body
        status, body = await client.get("/staff/links")
        assert "HS-B1" not in body
    async with services.db.transaction() as session:
        entries = await audit.entries(session, "link.create")
    assert [e.actor for e in entries] == ["cli"]  # only the fixture's own link


GOOD_AND_BAD = (
    "Mã hồ sơ,Đối tượng,Thủ tục,Số điện thoại\n"
    "HS-100,Công dân,Đăng ký khai sinh,0912345678\n"
    ",Công dân,Chứng thực,\n"
    "HS-101,Tổ chức,Cấp phép,\n"
    "HS-102,Người ngoài hành tinh,Chứng thực,\n"
).encode()


async def test_bulk_import_keeps_good_rows_and_reports_bad_ones(
    services: Services, server: str
) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as client:
        await client.login("thu.clerk")
        await client.get("/staff/import")
        for attempt in range(2):
            form = {"csrf": client.csrf, "unit": "XA-HOATHANH"}
            data = aiohttp.FormData(form)
            data.add_field("file", GOOD_AND_BAD, filename="ho-so.csv", content_type="text/csv")
            status, body = await client.post("/staff/import", data)
            assert status == 200
            new, old = (2, 0) if attempt == 0 else (0, 2)
            assert f"{new} đường liên kết mới, {old} đã có từ trước, 2 dòng lỗi" in body
            assert "<td>3</td>" in body and "<td>5</td>" in body
        download = re.search(r'href="(/staff/import/[^"]+\.csv)"', body).group(1)  # type: ignore[union-attr]
        async with client.http.get(server + download) as response:
            assert response.status == 200
            text = (await response.read()).decode("utf-8-sig")
        assert "HS-100" in text and "HS-101" in text and f"{server}/s/" in text
    async with StaffClient(server) as other:
        await add_staff(services, "khac", "clerk", "XA-HOATHANH")
        await other.login("khac")
        status, _ = await other.get(download)
        assert status == 404  # a result belongs to the clerk who imported it


async def test_an_unusable_file_gets_a_kind_message(services: Services, server: str) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as client:
        await client.login("thu.clerk")
        await client.get("/staff/import")
        data = aiohttp.FormData({"csrf": client.csrf, "unit": "XA-HOATHANH"})
        data.add_field("file", b"ten,tuoi\nAn,30\n", filename="khong-dung.csv")
        status, body = await client.post("/staff/import", data)
        assert status == 422 and 'role="alert"' in body and "khong-dung.csv" in body
        data = aiohttp.FormData({"csrf": client.csrf, "unit": "XA-HOATHANH"})
        status, body = await client.post("/staff/import", data)
        assert status == 422 and "Xin chọn một tệp." in body
