"""The staff side of integrity: the review list (counts per flag, evidence, never answers or
chats), keeping and excluding with a reason, reissuing a link, erasing a dossier's data."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.services import Services
from flows.engine import CONSENT, Choose, Start
from flows.outbound import ConversationRef
from storage.models import Answer, Dossier, SurveySession
from storage.repos import audit, links
from tests.support.scheduler import add_staff as add_bound_staff
from tests.support.scheduler import complete_response
from tests.support.servers import browser_client
from tests.support.staff import StaffClient, add_staff
from tests.support.surveys import new_token
from tests.support.tallies import week_tally

STAFF_CHAT = "7777001"
WEEK = "2026-W48"


async def counted(services: Services) -> int:
    async with services.db.transaction() as session:
        tally = await week_tally(session, await unit_ids(services), WEEK)
    return tally.stats["completed"]


async def unit_ids(services: Services) -> list[int]:
    async with services.db.transaction() as session:
        rows = await session.scalars(select(SurveySession.unit_id).distinct())
        return list(rows)


async def flagged_world(services: Services) -> int:
    """One honest response and one answered from a staff member's bound Telegram chat."""
    await add_bound_staff(services, "canbo", role="clerk", unit="XA-HOATHANH", chat_id=STAFF_CHAT)
    await complete_response(services, "8800123", "HS-OK", [4] * 22)
    await complete_response(services, STAFF_CHAT, "HS-STAFF", [5] * 22)
    async with services.db.transaction() as session:
        return int(
            await session.scalar(
                select(SurveySession.id).where(SurveySession.chat_id == STAFF_CHAT)
            )
            or 0
        )


async def test_the_review_list_and_a_kept_response(services: Services, server: str) -> None:
    flagged = await flagged_world(services)
    await add_staff(services, "chu.tich", "chair", "XA-HOATHANH")
    await add_staff(services, "motcua", "clerk", "XA-HOATHANH")
    assert await counted(services) == 1
    async with StaffClient(server) as chair:
        status, body = await chair.login("chu.tich")
        assert "1 phiếu chờ xem xét" in body  # the home page says there is work
        status, body = await chair.get("/staff/reviews")
        assert status == 200
        assert "Phiếu cần xem xét" in body
        assert "Trả lời từ tài khoản Telegram/Zalo của cán bộ</strong> (kênh telegram)" in body
        assert f"Phiếu số {flagged}" in body
        assert re.search(r'data-flag="staff_chat">1<', body)
        assert re.search(r'data-flag="too_fast">0<', body)
        assert STAFF_CHAT not in body and "canbo" not in body  # no chat, no identity
        assert "Rất hài lòng" not in body  # no answers

        status, body = await chair.post(
            f"/staff/reviews/{flagged}", {"decision": "keep", "reason": "  "}
        )
        assert status == 422 and "Xin ghi lý do" in body
        assert await counted(services) == 1

        status, body = await chair.post(
            f"/staff/reviews/{flagged}",
            {"decision": "keep", "reason": "Cán bộ làm thủ tục cho chính mình.", "back": "/x"},
        )
        assert status == 200 and f"Đã giữ lại phiếu số {flagged}" in body
        assert await counted(services) == 2
        status, body = await chair.get("/staff/reviews?state=all&flag=staff_chat")
        assert "Đã giữ lại — được tính" in body and "chu.tich lúc" in body
        status, body = await chair.get("/staff/reviews")
        assert "Không có phiếu nào cần xem xét." in body
        status, body = await chair.get("/staff/")
        assert "chờ xem xét" not in body
    async with services.db.transaction() as session:
        [entry] = await audit.entries(session, "response.review")
    assert entry.actor == "chu.tich" and entry.detail
    assert entry.detail["reason"] == "Cán bộ làm thủ tục cho chính mình."

    async with StaffClient(server) as clerk:
        await clerk.login("motcua")
        status, _ = await clerk.get("/staff/reviews")
        assert status == 403
        status, _ = await clerk.post(
            f"/staff/reviews/{flagged}", {"decision": "exclude", "reason": "x"}
        )
        assert status == 403
    assert await counted(services) == 2


async def test_other_units_and_bad_filters(services: Services, server: str) -> None:
    flagged = await flagged_world(services)
    async with services.db.transaction() as session:
        from storage.repos import units

        await units.add(session, "XA-KHAC", "UBND xã Khác", now=services.now())
    await add_staff(services, "chu.tich.khac", "chair", "XA-KHAC")
    await add_staff(services, "admin.tinh", "admin", "TINH-TEST")
    async with StaffClient(server) as other:
        await other.login("chu.tich.khac")
        status, body = await other.get("/staff/reviews")
        assert status == 200 and f"Phiếu số {flagged}" not in body
        status, _ = await other.get("/staff/reviews?unit=XA-HOATHANH")
        assert status == 403
        status, _ = await other.post(
            f"/staff/reviews/{flagged}", {"decision": "exclude", "reason": "không phải của tôi"}
        )
        assert status == 404
    async with StaffClient(server) as admin:
        await admin.login("admin.tinh")
        status, body = await admin.get("/staff/reviews?unit=XA-HOATHANH&from=2026-11-24")
        assert status == 200 and f"Phiếu số {flagged}" in body
        status, body = await admin.get("/staff/reviews?from=2026-11-25")
        assert f"Phiếu số {flagged}" not in body
        status, body = await admin.get("/staff/reviews?from=hôm-qua")
        assert status == 422 and "Ngày không hợp lệ" in body
        status, _ = await admin.post(f"/staff/reviews/{flagged}", {"reason": "thiếu quyết định"})
        assert status == 400
        async with admin.http.post(
            f"{server}/staff/reviews/{flagged}", data={"decision": "keep", "reason": "r"}
        ) as response:  # no CSRF token
            assert response.status == 403
    assert await counted(services) == 1


async def test_the_desk_reissues_a_link_taken_by_someone_else(
    services: Services, server: str
) -> None:
    await add_staff(services, "motcua", "clerk", "XA-HOATHANH")
    token = await new_token(services, "HS-2026-000777")
    intruder = ConversationRef("telegram", "666")
    await services.conversation.turn(intruder, Start(), token=token)
    await services.conversation.turn(intruder, Choose(CONSENT, "yes"))
    await services.conversation.turn(intruder, Choose("1.1", "1"))
    old = await services.links.info(token)
    assert old is not None
    old_code = old.link.short_code
    async with StaffClient(server) as clerk:
        await clerk.login("motcua")
        status, body = await clerk.get(f"/staff/links/{token}")
        assert "Cấp lại đường liên kết" in body
        status, body = await clerk.post(f"/staff/links/{token}/reissue")
        assert status == 200 and "Đã cấp đường liên kết mới cho hồ sơ HS-2026-000777" in body
    fresh = re.search(r"/s/([A-Za-z0-9_-]{20,})/qr\.png", body)
    assert fresh is not None and fresh.group(1) != token
    async with browser_client() as http:
        async with http.get(f"{server}/s/{token}") as response:
            assert response.status == 404
        async with http.get(f"{server}/s/{fresh.group(1)}") as response:
            assert response.status == 200 and "đồng ý" in await response.text()
    reply = await services.conversation.turn(intruder, Choose("1.2", "1"))
    assert "Để tham gia khảo sát" in reply.messages[0].text  # type: ignore[union-attr]
    async with services.db.transaction() as session:
        assert await session.scalar(select(Answer.id)) is None
        assert await links.by_short_code(session, old_code) is None
        [entry] = await audit.entries(session, "link.reissue")
    assert (entry.actor, entry.subject) == ("motcua", "XA-HOATHANH/HS-2026-000777")
    assert entry.detail == {"discarded": {"answers": 1, "channel": "telegram", "flags": []}}


async def test_an_admin_erases_a_dossiers_personal_data(services: Services, server: str) -> None:
    await add_staff(services, "admin.xa", "admin", "XA-HOATHANH")
    await services.links.create(
        unit_code="XA-HOATHANH", dossier_code="HS-PHONE", phone="0912345678", actor="t"
    )
    await complete_response(services, "4242", "HS-PHONE", [4] * 22)
    assert await counted(services) == 1
    async with StaffClient(server) as admin:
        await admin.login("admin.xa")
        status, body = await admin.get("/staff/privacy")
        assert status == 200
        status, body = await admin.post(
            "/staff/privacy/erase", {"unit": "XA-HOATHANH", "dossier": "HS-NONE"}
        )
        assert status == 422 and "Không tìm thấy hồ sơ HS-NONE" in body
        status, body = await admin.post(
            "/staff/privacy/erase", {"unit": "XA-HOATHANH", "dossier": "HS-PHONE"}
        )
        assert status == 200 and "Đã xóa dữ liệu cá nhân của hồ sơ HS-PHONE" in body
    async with services.db.transaction() as session:
        dossier = await session.scalar(select(Dossier).where(Dossier.code == "HS-PHONE"))
        survey = await session.scalar(select(SurveySession))
        [entry] = await audit.entries(session, "dossier.erase")
    assert dossier is not None and dossier.phone is None
    assert survey is not None and survey.chat_id is None and survey.data_deleted_at is not None
    assert entry.actor == "admin.xa" and entry.detail == {"phone": True, "response": True}
    assert await counted(services) == 1  # the anonymous answers still count, once


async def test_a_completed_survey_is_never_reissued(services: Services, server: str) -> None:
    await add_staff(services, "motcua", "clerk", "XA-HOATHANH")
    await complete_response(services, "5150", "HS-DONE", [4] * 22)
    token = await new_token(services, "HS-DONE")
    async with StaffClient(server) as clerk:
        await clerk.login("motcua")
        status, body = await clerk.get(f"/staff/links/{token}")
        assert "Cấp lại đường liên kết" not in body
        status, body = await clerk.post(f"/staff/links/{token}/reissue")
    assert status == 200 and "đã hoàn thành nên không cấp lại" in body
    assert await services.links.info(token) is not None  # the same link, still valid
    assert await counted(services) == 1
