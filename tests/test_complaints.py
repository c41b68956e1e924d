"""Reports / petitions answered, not just collected: the work item, the chair's alert, the
answer back in the citizen's chat or on their web page, the public version, role checks."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import aiohttp
import pytest

from bot.complaints.desk import ANSWER_PREFIX, ComplaintError
from bot.results.publishing import set_published
from bot.services import Services
from flows.engine import COMMENT, CONSENT
from flows.engine import COMPLAINT as COMPLAINT_PROMPT
from flows.outbound import Message
from reports.periods import parse_period
from scheduler.jobs import COMPLAINT_ANSWER_PREFIX
from storage.repos import audit, deliveries, units, users
from storage.repos import complaints as repo
from tests.support.browser import serious_violations
from tests.support.scheduler import QUESTION_IDS, complete_response, jobs_for, recording
from tests.support.servers import browser_client
from tests.support.staff import PASSWORD, StaffClient, add_staff
from tests.support.surveys import new_token

COMPLAINT = "Cán bộ tiếp nhận hẹn 3 lần\x1b[31m vẫn chưa trả kết quả"


async def bind(services: Services, username: str, chat_id: str, channel: str = "telegram") -> None:
    now = services.now()
    async with services.db.transaction() as session:
        user = await users.require(session, username)
        code = f"bind-{username}"
        await users.add_binding_code(
            session, user=user, channel=channel, code=code, now=now, expires_at=now + timedelta(1)
        )
        assert await users.consume_binding_code(
            session, code=code, channel=channel, chat_id=chat_id, now=now
        )


def texts_to(channel: object, chat_id: str) -> list[str]:
    return [
        m.text
        for ref, items in channel.sent  # type: ignore[attr-defined]
        if ref.chat_id == chat_id
        for m in items
        if isinstance(m, Message)
    ]


async def test_a_chair_answers_a_complaint_and_the_citizen_receives_it(
    services: Services, server: str
) -> None:
    telegram = recording(services)
    await add_staff(services, "chutich", "chair", "XA-HOATHANH")
    await add_staff(services, "motcua", "clerk", "XA-HOATHANH")
    await bind(services, "chutich", "9001")
    await complete_response(services, "5001", "HS-C1", [4] * 22, complaint=COMPLAINT)

    alert = texts_to(telegram, "9001")
    assert len(alert) == 1 and "Phản ánh, kiến nghị mới gửi UBND xã Hòa Thành" in alert[0]
    assert "vẫn chưa trả kết quả" in alert[0] and "\x1b" not in alert[0]
    assert "5001" not in alert[0] and "HS-C1" not in alert[0]  # no identity of the citizen
    assert "Hạn trả lời: 09/12/2026" in alert[0]  # 15 days ([complaints] answer_within)
    complaint_id = int(re.search(r"/staff/complaints/(\d+)", alert[0]).group(1))  # type: ignore[union-attr]

    async with StaffClient(server) as clerk:  # not assigned yet: the clerk sees nothing
        await clerk.login("motcua")
        status, body = await clerk.get("/staff/complaints")
        assert status == 200 and "vẫn chưa trả kết quả" not in body
        status, _ = await clerk.get(f"/staff/complaints/{complaint_id}")
        assert status == 404

    async with StaffClient(server) as chair:
        await chair.login("chutich")
        status, body = await chair.get("/staff/complaints?status=new")
        assert status == 200 and "vẫn chưa trả kết quả" in html.unescape(body)
        assert "5001" not in body and "HS-C1" not in body
        await chair.get(f"/staff/complaints/{complaint_id}")
        async with services.db.transaction() as session:
            clerk_id = (await users.require(session, "motcua")).id
        status, _ = await chair.post(
            f"/staff/complaints/{complaint_id}/assign", {"assignee": str(clerk_id)}
        )
        assert status == 200
        status, body = await chair.get("/staff/complaints?status=in_progress")
        assert "motcua" in body

    async with StaffClient(server) as clerk:
        await clerk.login("motcua")
        status, body = await clerk.get(f"/staff/complaints/{complaint_id}")
        assert status == 200 and "Gửi câu trả lời" in body
        assert "Công khai câu trả lời" not in body  # publishing is the chair's
        status, body = await clerk.post(f"/staff/complaints/{complaint_id}/answer", {"answer": " "})
        assert "Xin nhập nội dung câu trả lời." in body
        status, body = await clerk.post(
            f"/staff/complaints/{complaint_id}/answer",
            {"answer": "UBND xã đã trả kết quả và xin lỗi Ông/Bà vì sự chậm trễ."},
        )
        assert status == 200 and "Đã gửi câu trả lời." in body
        status, _ = await clerk.post(
            f"/staff/complaints/{complaint_id}/public", {"public": "1", "public_text": "x"}
        )
        assert status == 403

    answer = texts_to(telegram, "5001")[-1]
    assert "UBND xã Hòa Thành trả lời phản ánh, kiến nghị của Ông/Bà" in answer
    assert "xin lỗi Ông/Bà vì sự chậm trễ" in answer

    async with StaffClient(server) as chair:
        await chair.login("chutich")
        await chair.get(f"/staff/complaints/{complaint_id}")
        status, body = await chair.post(
            f"/staff/complaints/{complaint_id}/public",
            {"public": "1", "public_text": "Trả kết quả hồ sơ chậm"},
        )
        assert status == 200 and "Đã công khai." in body
        assert "chutich: phân công → motcua" in body and "motcua: trả lời" in body
    async with services.db.transaction() as session:
        unit_id = (await repo.get(session, complaint_id)).complaint.unit_id  # type: ignore[union-attr]
        shown = await repo.public_answers(session, unit_id, date(2026, 11, 1), date(2026, 11, 30))
        actions = [e.action for e in await repo.history(session, complaint_id)]
        assert await audit.entries(session, "complaint.answer")
    assert [(s["complaint"], s["answer"]) for s in shown] == [
        ("Trả kết quả hồ sơ chậm", "UBND xã đã trả kết quả và xin lỗi Ông/Bà vì sự chậm trễ.")
    ]
    assert actions == ["complaint.assign", "complaint.answer", "complaint.publish"]
    # Once the month is published, anyone reads the answer on the unit's public page, as the
    # chair published it: never the citizen's own words or identity.
    async with services.db.transaction() as session:
        unit = await units.require(session, "XA-HOATHANH")
        await set_published(
            session,
            unit,
            parse_period("2026-11", today=date(2026, 12, 1)),
            by="t",
            now=services.now(),
        )
    async with aiohttp.ClientSession() as http, http.get(f"{server}/p/XA-HOATHANH") as response:
        page = html.unescape(await response.text())
    assert response.status == 200
    assert "Trả kết quả hồ sơ chậm" in page and "xin lỗi Ông/Bà vì sự chậm trễ" in page
    assert "vẫn chưa trả kết quả" not in page and "5001" not in page and "HS-C1" not in page


async def test_a_web_respondent_reads_the_answer_on_their_link_page(
    services: Services, server: str
) -> None:
    token = await new_token(services, "HS-W1")
    url = f"{server}/s/{token}"
    steps = [
        {"prompt": CONSENT, "choice": "yes"},
        *({"prompt": q, "choice": "3"} for q in QUESTION_IDS),
        {"prompt": COMMENT, "choice": "complaint"},
        {"prompt": COMPLAINT_PROMPT, "text": "Nhà vệ sinh ở bộ phận một cửa bị hỏng"},
    ]
    async with browser_client() as browser:  # the survey belongs to this browser
        async with browser.get(url) as response:
            assert response.status == 200
        for step in steps:
            async with browser.post(url, data=step) as response:
                assert response.status == 200
        async with services.db.transaction() as session:
            items, total = await repo.work_list(session, unit_ids=[2])
        assert total == 1
        route = await services.complaints.answer(
            items[0].complaint.id, text="Đã sửa xong, cảm ơn Ông/Bà.", actor="chutich"
        )
        assert route == "web"
        async with browser.get(url) as response:
            body = html.unescape(await response.text())
        assert response.status == 200 and "Trả lời phản ánh, kiến nghị của Ông/Bà" in body
        assert "Đã sửa xong, cảm ơn Ông/Bà." in body
    async with browser_client() as stranger, stranger.get(url) as response:
        assert "Đã sửa xong" not in await response.text()  # another browser sees nothing


async def test_overdue_complaints_are_filtered(services: Services, server: str) -> None:
    recording(services)
    await add_staff(services, "chutich", "chair", "XA-HOATHANH")
    await complete_response(services, "5002", "HS-C2", [4] * 22, complaint="Chờ quá lâu")
    async with services.db.transaction() as session:
        assert await repo.open_counts(session, [2], services.now()) == (1, 0)
    services.clock.advance(days=16)  # type: ignore[attr-defined]
    async with services.db.transaction() as session:
        assert await repo.open_counts(session, [2], services.now()) == (1, 1)
    async with StaffClient(server) as chair:
        await chair.login("chutich")
        status, body = await chair.get("/staff/complaints?overdue=1")
        assert status == 200 and "Chờ quá lâu" in body and "quá hạn" in body


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_work_list_in_the_browser(services: Services, server: str, page) -> None:  # type: ignore[no-untyped-def]
    """A chair answers from the work list in Chromium, without JavaScript-only controls;
    the home dashboard, the list and the complaint page pass axe."""
    telegram = recording(services)
    await add_staff(services, "chutich", "chair", "XA-HOATHANH")
    await complete_response(services, "5003", "HS-C3", [4] * 22, complaint="Thái độ chưa tốt")
    await page.goto(f"{server}/login")
    await page.get_by_label("Tên đăng nhập").fill("chutich")
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.get_by_role("heading", name="Tình hình tháng này").wait_for()
    assert await serious_violations(page) == []
    await page.get_by_role("link", name="Phản ánh, kiến nghị").first.click()
    assert await serious_violations(page) == []
    await page.get_by_role("link", name="Thái độ chưa tốt").click()
    assert await serious_violations(page) == []
    await page.get_by_label("Trả lời").fill("UBND xã đã nhắc nhở công chức, xin cảm ơn Ông/Bà.")
    await page.get_by_role("button", name="Gửi câu trả lời").click()
    await page.get_by_text("Đã gửi câu trả lời.").wait_for()
    await page.get_by_role("button", name="Công khai câu trả lời").click()
    await page.get_by_text("Đang công khai trên trang kết quả.").wait_for()
    assert await serious_violations(page) == []
    assert "xin cảm ơn Ông/Bà" in texts_to(telegram, "5003")[-1]


async def test_one_answer_only_and_the_chat_id_is_forgotten_once_sent(
    services: Services,
) -> None:
    telegram = recording(services)
    await complete_response(services, "5004", "HS-C4", [4] * 22, complaint="Giấy hẹn sai ngày")
    async with services.db.transaction() as session:
        [item], _ = await repo.work_list(session, unit_ids=[2])
    complaint_id = item.complaint.id
    assert await services.complaints.answer(complaint_id, text="Đã sửa.", actor="a") == "chat"
    with pytest.raises(ComplaintError, match="complaint_already_answered"):
        await services.complaints.answer(complaint_id, text="Lần hai.", actor="b")
    assert [t for t in texts_to(telegram, "5004") if "Đã sửa." in t or "Lần hai." in t] == [
        "✉️ UBND xã Hòa Thành trả lời phản ánh, kiến nghị của Ông/Bà:\n«Giấy hẹn sai ngày»"
        "\n\nĐã sửa."
    ]
    assert COMPLAINT_ANSWER_PREFIX == ANSWER_PREFIX
    await jobs_for(services).prune()
    async with services.db.transaction() as session:
        sent = await deliveries.by_key(session, f"{ANSWER_PREFIX}{complaint_id}")
    assert sent is not None and sent.status == "sent" and sent.chat_id == ""
