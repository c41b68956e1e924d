"""Re-verification and funnel pages over HTTP: an admin draws a sample; the clerk sees the
phones and records outcomes (a denial flags the response, an unreachable respondent brings in
the next reserve, each outcome audited without the phone); a chair sees the list and the
share confirmed but no phone and no buttons. The funnel counts links created → opened →
consented → completed and where the others stopped.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from bot.services import Services
from storage.models import ResponseFlag
from storage.repos import audit, funnel, units
from tests.support.paper import data_entry_user, key_form
from tests.support.scheduler import finish, open_survey
from tests.support.staff import StaffClient, add_staff

UNIT = "XA-HOATHANH"
PHONE = re.compile(r"09876543\d\d")
ITEM_FORM = re.compile(r'action="/staff/rechecks/(\d+)/items/(\d+)"')


async def test_a_sample_is_drawn_called_and_summed_up(services: Services, server: str) -> None:
    user_id = await data_entry_user(services)
    for n in range(12):
        await key_form(services, user_id, f"HS-{n:02d}", phone=f"09876543{n:02d}")
    await add_staff(services, "admin.xa", "admin", UNIT)
    await add_staff(services, "thu.clerk", "clerk", UNIT)
    await add_staff(services, "chu.tich", "chair", UNIT)
    async with StaffClient(server) as admin:
        await admin.login("admin.xa")
        status, body = await admin.get("/staff/rechecks")
        assert status == 200 and "Chưa chọn mẫu phúc tra nào." in body
        status, body = await admin.post(
            "/staff/rechecks", {"unit": UNIT, "period": "2026-11", "share": "0", "seed": ""}
        )
        assert status == 422 and "Tỷ lệ mẫu là một số nguyên từ 1 đến 100." in body
        status, body = await admin.post(
            "/staff/rechecks", {"unit": UNIT, "period": "2026-11", "share": "10", "seed": "7"}
        )
        assert status == 200 and "Đã chọn 2 phiếu trên 12 phiếu (số khởi tạo 7)." in body
        draw_id = re.search(r'href="/staff/rechecks/(\d+)"', body).group(1)  # type: ignore[union-attr]
    async with StaffClient(server) as chair:
        await chair.login("chu.tich")
        status, body = await chair.get(f"/staff/rechecks/{draw_id}")
        assert status == 200 and "HS-" in body
        assert not PHONE.search(body) and not ITEM_FORM.search(body)
        assert "Số điện thoại chỉ hiển thị cho quản trị và cán bộ một cửa." in body
    async with StaffClient(server) as clerk:
        await clerk.login("thu.clerk")
        status, body = await clerk.get(f"/staff/rechecks/{draw_id}")
        assert len(PHONE.findall(body)) == 4  # two numbers, each a tel: link
        first, second = [item for _draw, item in ITEM_FORM.findall(body)]
        status, body = await clerk.post(
            f"/staff/rechecks/{draw_id}/items/{first}", {"outcome": "denied"}
        )
        assert status == 200 and "Đã ghi kết quả cho hồ sơ" in body
        status, body = await clerk.post(
            f"/staff/rechecks/{draw_id}/items/{second}", {"outcome": "unreachable"}
        )
        assert "hồ sơ dự phòng" in body and "thay cho" in body
        (reserve,) = [item for _draw, item in ITEM_FORM.findall(body)]
        status, body = await clerk.post(
            f"/staff/rechecks/{draw_id}/items/{reserve}", {"outcome": "confirmed"}
        )
        status, body = await clerk.post(
            f"/staff/rechecks/{draw_id}/items/{first}", {"outcome": "confirmed"}
        )
        assert "Hồ sơ này đã có kết quả gọi" in body
        status, body = await clerk.post(  # a chair-only view has no form; a clerk cannot draw
            "/staff/rechecks", {"unit": UNIT, "period": "2026-11", "share": "10", "seed": ""}
        )
        assert status == 403
    async with StaffClient(server) as chair:
        await chair.login("chu.tich")
        status, body = await chair.get("/staff/rechecks?period=2026-11")
        assert "Tỷ lệ xác nhận</th><td>50,0 %" in body
        status, body = await chair.get("/staff/rechecks?period=November")
        assert status == 200 and "Kỳ chưa đúng dạng." in body
    async with services.db.transaction() as session:
        flagged = list(await session.scalars(select(ResponseFlag)))
        outcomes = await audit.entries(session, "recheck.outcome")
    assert [f.flag for f in flagged] == ["denied_on_recheck"]
    assert [e.detail["outcome"] for e in outcomes] == ["denied", "unreachable", "confirmed"]  # type: ignore[index]
    assert not any(PHONE.search(str(e.detail) + str(e.subject)) for e in outcomes)


async def test_the_funnel_shows_each_step_and_where_people_stopped(
    services: Services, server: str
) -> None:
    await services.links.create(unit_code=UNIT, dossier_code="HS-NEVER", actor="test")
    seen = await services.links.create(unit_code=UNIT, dossier_code="HS-SEEN", actor="test")
    await open_survey(services, "601", "HS-HALF", answers=[4, 4])
    done = await open_survey(services, "602", "HS-DONE", answers=[5] * 22)
    await finish(services, done)
    await open_survey(services, "603", "HS-NO", consent="no")
    await key_form(services, await data_entry_user(services), "HS-PAPER")
    async with StaffClient(server) as viewer:
        async with viewer.http.get(f"{server}/s/{seen.link.token}") as response:
            assert response.status == 200
        await add_staff(services, "xem", "viewer", "TINH-TEST")
        await viewer.login("xem")
        status, body = await viewer.get(f"/staff/funnel?unit={UNIT}&period=2026-11")
    async with services.db.transaction() as session:
        unit = await units.require(session, UNIT)
        figures = await funnel.funnel(
            session, [unit.id], date(2026, 11, 1), date(2026, 11, 30), zone=services.zone
        )
    assert figures == {
        "created": 5,
        "opened": 4,
        "consented": 2,
        "completed": 1,
        "stopped_at": [{"question": "_consent", "count": 2}, {"question": "1.3", "count": 1}],
    }
    assert status == 200
    assert "Đã mở</th><td>4</td><td>80,0 %" in body
    assert "Lời mời và câu hỏi đồng ý</th>" in body
    assert "1.3. Trang thiết bị phục vụ người dân tại Bộ phận Một cửa hiện đại" in body
