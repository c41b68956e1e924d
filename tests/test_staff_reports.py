"""The report page: chairs and viewers read their unit's figures (aggregates only)."""

from __future__ import annotations

import html

import pytest

from bot.services import Services
from tests.support.browser import serious_violations
from tests.support.scheduler import complete_response
from tests.support.staff import PASSWORD, StaffClient, add_staff


async def test_a_chair_reads_the_running_weeks_report(services: Services, server: str) -> None:
    await add_staff(services, "chutich", "chair", "XA-HOATHANH")
    await complete_response(
        services, "2001", "HS-1", [5] * 22, comment="Cán bộ tận tình", complaint="Chờ lâu"
    )
    async with StaffClient(server) as chair:
        await chair.login("chutich")
        status, body = await chair.get("/staff/reports")
        assert status == 200
        text = html.unescape(body)
        assert "📊 Báo cáo tuần 48/2026 (23/11/2026 – 29/11/2026)" in text
        assert "Chỉ số SIPAS tuần này: 100,0 %" in text
        assert "⚠️ Phản ánh: «Chờ lâu»" in text and "«Cán bộ tận tình»" in text
        assert 'src="data:image/png;base64,' in body
        assert "2001" not in body and "HS-1" not in body  # no one sees who answered
        status, _ = await chair.get("/staff/reports?week=2026-48")
        assert status == 400
        status, _ = await chair.get("/staff/reports?unit=TINH-TEST")  # the parent: not a chair's
        assert status == 403


async def test_a_province_viewer_reads_a_commune_and_the_roll_up(
    services: Services, server: str
) -> None:
    await add_staff(services, "sonoivu", "viewer", "TINH-TEST")
    await complete_response(services, "2002", "HS-2", [4] * 22)
    async with StaffClient(server) as viewer:
        await viewer.login("sonoivu")
        status, body = await viewer.get("/staff/reports?unit=XA-HOATHANH&week=2026-W48")
        assert status == 200 and "UBND xã Hòa Thành" in body
        status, body = await viewer.get("/staff/reports")
        assert status == 200 and "Tỉnh Thử nghiệm" in body


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_report_page_is_accessible(services: Services, server: str, page) -> None:  # type: ignore[no-untyped-def]
    await add_staff(services, "chutich", "chair", "XA-HOATHANH")
    await complete_response(services, "2003", "HS-3", [3] * 22)
    await page.goto(f"{server}/login")
    await page.get_by_label("Tên đăng nhập").fill("chutich")
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.get_by_role("link", name="Báo cáo chỉ số hài lòng").first.click()
    await page.get_by_role("img").first.wait_for()
    assert await serious_violations(page) == []
    await page.screenshot(path="test-artifacts/staff-report.png", full_page=True)
