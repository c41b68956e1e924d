"""The report pages: chairs and viewers read their unit's figures for any period, and the
weekly digest (aggregates only)."""

from __future__ import annotations

import html

import pytest

from bot.services import Services
from tests.support.browser import serious_violations
from tests.support.scheduler import complete_response
from tests.support.staff import PASSWORD, StaffClient, add_staff


async def test_a_chair_reads_the_running_weeks_digest(services: Services, server: str) -> None:
    await add_staff(services, "chutich", "chair", "XA-HOATHANH")
    await complete_response(
        services, "2001", "HS-1", [5] * 22, comment="Cán bộ tận tình", complaint="Chờ lâu"
    )
    async with StaffClient(server) as chair:
        await chair.login("chutich")
        status, body = await chair.get("/staff/reports/week")
        assert status == 200
        text = html.unescape(body)
        assert "📊 Báo cáo tuần 48/2026 (23/11/2026 – 29/11/2026)" in text
        assert "Chỉ số SIPAS tuần này: 100,0 %" in text
        assert "⚠️ Phản ánh: «Chờ lâu»" in text and "«Cán bộ tận tình»" in text
        assert 'src="data:image/png;base64,' in body
        assert "2001" not in body and "HS-1" not in body  # no one sees who answered
        status, _ = await chair.get("/staff/reports/week?week=2026-48")
        assert status == 400
        status, _ = await chair.get("/staff/reports/week?unit=TINH-TEST")  # not a chair's
        assert status == 403
        status, _ = await chair.get("/staff/reports?unit=TINH-TEST")
        assert status == 403


async def test_a_province_viewer_reads_a_commune_and_the_roll_up(
    services: Services, server: str
) -> None:
    await add_staff(services, "sonoivu", "viewer", "TINH-TEST")
    await complete_response(services, "2002", "HS-2", [4] * 22)
    async with StaffClient(server) as viewer:
        await viewer.login("sonoivu")
        status, body = await viewer.get("/staff/reports/week?unit=XA-HOATHANH&week=2026-W48")
        assert status == 200 and "UBND xã Hòa Thành" in body
        status, body = await viewer.get("/staff/reports?period=2026-11")
        text = html.unescape(body)
        assert status == 200 and "Tỉnh Thử nghiệm · 2026-11" in text
        # The commune is listed with its figures and, with one response, is not ranked.
        assert "UBND xã Hòa Thành</a></th><td>1</td><td>100,0 %</td><td>—</td>" in text
        assert "Không — chưa đủ phiếu" in text
        # 500 forms a year (10,450 dossiers) pro-rated to 30 days: 42.
        assert "⚠️ Chưa đủ phiếu: có 1, cần ít nhất 42 phiếu trong kỳ." in text
        status, body = await viewer.get("/staff/reports?period=2026-14")
        assert status == 400
        assert "Kỳ báo cáo không hợp lệ" in html.unescape(body)


async def test_the_report_shows_n_intervals_and_criteria(services: Services, server: str) -> None:
    await add_staff(services, "chutich", "chair", "XA-HOATHANH")
    await complete_response(services, "2004", "HS-4", [5] * 22)
    await complete_response(services, "2005", "HS-5", [2] * 18 + [0] * 4)
    async with StaffClient(server) as chair:
        await chair.login("chutich")
        status, body = await chair.get("/staff/reports?period=2026-W48")
        text = html.unescape(body)
        assert status == 200
        # Two respondents, personal indices 100 and 0 (F5 only the first): 60 % overall.
        assert '<th scope="row">SIPAS</th><td><strong>60,0 %</strong></td>' in text
        assert "1.1 Nơi ngồi chờ tại Bộ phận Một cửa có đủ chỗ ngồi</th><td>50,0 %</td>" in text
        assert "5.1 Cơ quan có bố trí hình thức tiếp nhận góp ý" in text
        assert "2026-W48</th><td>60,0 %</td>" in text  # the trend table's last row
        # How far the week's links got, beside the index (the funnel of the period).
        assert "Đường liên kết của kỳ: 2 tạo, 2 đã mở, 2 đồng ý tham gia, 2 hoàn thành." in text
        assert 'src="data:image/png;base64,' in body
        status, csv_body = await chair.get("/staff/reports/export?period=2026-W48&format=csv")
        assert status == 200 and "Chỉ số SIPAS" in csv_body
        assert "2004" not in body and "HS-4" not in body


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_report_page_is_accessible(services: Services, server: str, page) -> None:  # type: ignore[no-untyped-def]
    await add_staff(services, "chutich", "chair", "XA-HOATHANH")
    await complete_response(services, "2003", "HS-3", [3] * 22)
    await page.goto(f"{server}/login")
    await page.get_by_label("Tên đăng nhập").fill("chutich")
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.get_by_role("link", name="Báo cáo chỉ số hài lòng").first.click()
    await page.get_by_label("Kỳ báo cáo", exact=False).fill("2026-W48")
    await page.get_by_role("button", name="Xem báo cáo").click()
    await page.get_by_role("img").first.wait_for()
    assert await serious_violations(page) == []
    await page.screenshot(path="test-artifacts/staff-report.png", full_page=True)
