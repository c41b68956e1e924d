"""Integrity in real headless Chromium: two browsers (separate contexts, so separate cookies)
on one survey link — the one that started keeps it, the other is told so and sees nothing —
and a chair reviewing a flagged response, with accessibility checks."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.services import Services
from storage.models import Answer
from tests.support.browser import serious_violations, staff_login
from tests.support.scheduler import add_staff as add_bound_staff
from tests.support.scheduler import complete_response
from tests.support.staff import add_staff
from tests.support.surveys import new_token

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def press(page: Any, label: str) -> None:
    await page.get_by_role("button", name=label, exact=True).click()


@SQLITE_ONLY
async def test_a_second_browser_sees_nothing_while_the_first_continues(
    services: Services, server: str, page: Any
) -> None:
    token = await new_token(services)
    await page.goto(f"{server}/s/{token}")
    await press(page, "Đồng ý")
    await press(page, "Hài lòng")
    await page.get_by_text("Câu 2/22", exact=True).wait_for()

    other_context = await page.context.browser.new_context(locale="vi-VN")
    other = await other_context.new_page()
    try:
        response = await other.goto(f"{server}/s/{token}")
        assert response is not None and response.status == 403
        await other.get_by_text("đang được trả lời trên một thiết bị khác").wait_for()
        assert await other.get_by_role("button").count() == 0
        assert "Câu" not in await other.content()
        assert await serious_violations(other) == []
    finally:
        await other_context.close()

    await press(page, "Rất hài lòng")
    await page.get_by_text("Câu 3/22", exact=True).wait_for()
    async with services.db.transaction() as session:
        rows = await session.execute(select(Answer.question_id, Answer.value))
        assert {question: value for question, value in rows} == {"1.1": 4, "1.2": 5}


@SQLITE_ONLY
async def test_a_chair_reviews_a_flagged_response_in_the_browser(
    services: Services, server: str, page: Any
) -> None:
    await add_bound_staff(services, "canbo", role="clerk", unit="XA-HOATHANH", chat_id="7007")
    await complete_response(services, "7007", "HS-STAFF", [5] * 22)
    await add_staff(services, "chu.tich", "chair", "XA-HOATHANH")
    await staff_login(page, server, "chu.tich")
    await page.get_by_role("navigation").get_by_role("link", name="Phiếu cần xem xét").click()
    await page.locator(
        "li strong", has_text="Trả lời từ tài khoản Telegram/Zalo của cán bộ"
    ).wait_for()
    assert await serious_violations(page) == []
    await page.get_by_label("Lý do (bắt buộc)").fill("Cán bộ làm thủ tục của chính mình.")
    await press(page, "Giữ lại, tính vào kết quả")
    await page.get_by_text("Đã giữ lại phiếu số").wait_for()
    await page.get_by_text("Không có phiếu nào cần xem xét.").wait_for()
    assert await serious_violations(page) == []
