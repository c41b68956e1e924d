"""Staff pages in real headless Chromium: login, a link with its QR code, bulk import with
good and bad rows, and a flow wording fix edited, previewed and published in the browser —
a respondent who starts afterwards gets the new wording, one who started before keeps the old.
Main pages are checked with axe-core (no serious or critical violations).
"""

from __future__ import annotations

from pathlib import Path

from bot.services import Services
from tests.support.browser import serious_violations
from tests.support.browser import staff_login as login
from tests.support.staff import PASSWORD, add_staff

OLD = "Nơi ngồi chờ tại {place} có đủ chỗ ngồi"
NEW = "Nơi ngồi chờ tại {place} có đủ ghế ngồi thoải mái"
OLD_SHOWN, NEW_SHOWN = (text.replace("{place}", "Bộ phận Một cửa") for text in (OLD, NEW))


async def test_clerk_logs_in_and_creates_a_link_with_its_qr_code(
    services: Services, server: str, page
) -> None:  # type: ignore[no-untyped-def]
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    await page.goto(f"{server}/login")
    assert await serious_violations(page) == []
    await login(page, server, "thu.clerk")
    await page.get_by_role("link", name="Tạo đường liên kết").first.click()
    assert await serious_violations(page) == []
    await page.get_by_label("Mã hồ sơ").fill("HS-2026-000123")
    await page.get_by_label("Thủ tục hoặc lĩnh vực").fill("Đăng ký khai sinh")
    await page.get_by_label("Tổ chức, doanh nghiệp (Mẫu 02)").check()
    await page.get_by_role("button", name="Tạo đường liên kết").click()
    await page.get_by_text("Đã tạo đường liên kết cho hồ sơ HS-2026-000123.").wait_for()
    qr = page.get_by_role("img", name="Mã QR khảo sát cho hồ sơ HS-2026-000123")
    assert await qr.evaluate("img => img.complete && img.naturalWidth > 100")
    text = await page.get_by_label("Tin nhắn gửi qua SMS/Zalo").input_value()
    assert text.startswith("UBND xã Hòa Thành kính mời Quý cơ quan, tổ chức")
    assert await serious_violations(page) == []
    await page.get_by_role("link", name="In phiếu A6").click()
    assert await page.get_by_text("Trả lời 22 câu hỏi ngắn").is_visible()
    assert await page.get_by_role("img").evaluate("img => img.naturalWidth > 100")
    await page.goto(f"{server}/staff/links")
    row = page.get_by_role("row", name="HS-2026-000123")
    assert "đã tạo" in await row.inner_text()
    assert await serious_violations(page) == []
    await page.get_by_role("button", name="English").click()
    assert await page.get_by_role("heading", name="Recent links").is_visible()


async def test_bulk_import_in_the_browser(
    services: Services, server: str, page, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    export = tmp_path / "mot-cua-24-11.csv"
    export.write_text(
        "Mã hồ sơ,Đối tượng,Thủ tục,Số điện thoại\n"
        "HS-200,Công dân,Chứng thực bản sao,0912345678\n"
        "HS-201,Công dân,Đăng ký kết hôn,12\n"
        "HS-202,Tổ chức,Cấp phép xây dựng,\n",
        encoding="utf-8",
    )
    await login(page, server, "thu.clerk")
    await page.goto(f"{server}/staff/import")
    assert await serious_violations(page) == []
    await page.get_by_label("Tệp danh sách").set_input_files(str(export))
    await page.get_by_role("button", name="Nhập tệp").click()
    await page.get_by_text("3 đường liên kết mới, 0 đã có từ trước, 0 dòng lỗi").wait_for()
    # a malformed phone costs only the phone: the row is imported, and the reason reported
    warnings = page.get_by_role("table", name="Các dòng đã nhập nhưng bỏ qua một trường")
    assert "3" in await warnings.get_by_role("row").nth(1).inner_text()
    assert await page.get_by_role("link", name="HS-200").is_visible()
    assert await serious_violations(page) == []
    async with page.expect_download() as waiting:
        await page.get_by_role("link", name="Tải kết quả (CSV)").click()
    download = await waiting.value
    saved = tmp_path / "result.csv"
    await download.save_as(saved)
    content = saved.read_bytes().decode("utf-8-sig")
    assert "HS-200" in content and "HS-202" in content and f"{server}/s/" in content


async def test_admin_fixes_a_wording_and_new_respondents_get_it(
    services: Services, server: str, page
) -> None:  # type: ignore[no-untyped-def]
    await add_staff(services, "so.noivu", "admin", "TINH-TEST")
    earlier = await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-OLD")
    await page.goto(f"{server}/s/{earlier.link.token}")
    await page.get_by_role("button", name="Đồng ý", exact=True).click()
    await page.get_by_role("heading", name=OLD_SHOWN).wait_for()

    await login(page, server, "so.noivu")
    await page.get_by_role("link", name="Bộ câu hỏi").first.click()
    assert await serious_violations(page) == []
    flows_page = page.url
    region = page.get_by_role("region", name="mau01 (Công dân (Mẫu 01))")
    await region.get_by_role("link", name="Sửa nội dung tệp (nâng cao)").click()
    editor = page.get_by_label("Nội dung tệp bộ câu hỏi")
    source = await editor.input_value()
    assert source.count(OLD) == 1
    await editor.fill(source.replace('key = "mau01"\n', 'key = "mau01"\nbroken = \n', 1))
    await page.get_by_role("button", name="Kiểm tra").click()
    alert = page.get_by_role("alert")
    assert "Dòng 7" in await alert.inner_text()  # the error is shown at its line

    # The wording fix itself, as an admin who never reads TOML does it.
    await page.goto(flows_page)
    await region.get_by_role("link", name="Sửa câu chữ").click()
    question = page.get_by_role("group", name="Câu 1.1 (câu 1/22)", exact=True)
    vietnamese = question.get_by_label("Tiếng Việt")
    assert await vietnamese.input_value() == OLD
    assert await serious_violations(page) == []
    await vietnamese.fill(NEW)
    await page.get_by_role("button", name="Tiếp tục: kiểm tra và xem thử").click()
    await page.get_by_text("Bộ câu hỏi hợp lệ: 22 câu hỏi.").wait_for()
    edited = await page.get_by_label("Nội dung tệp bộ câu hỏi").input_value()
    assert edited == source.replace(OLD, NEW)  # only that text changed
    assert await serious_violations(page) == []
    await page.get_by_role("button", name="Xem thử như người trả lời").click()
    await page.get_by_text("Đây là bản xem thử, không lưu câu trả lời nào.").wait_for()
    await page.get_by_role("button", name="Đồng ý", exact=True).click()
    await page.get_by_role("heading", name=NEW_SHOWN).wait_for()
    assert await page.get_by_role("button", name="Rất hài lòng").is_visible()
    assert await serious_violations(page) == []
    await page.get_by_role("button", name="Công bố phiên bản mới").click()
    await page.get_by_role("heading", name="Xác nhận công bố phiên bản mới của mau01").wait_for()
    assert await serious_violations(page) == []
    await page.get_by_role("button", name="Xác nhận công bố").click()
    await page.get_by_text("Đã công bố mau01 phiên bản 2.").wait_for()
    assert await serious_violations(page) == []

    later = await services.links.create(unit_code="XA-HOATHANH", dossier_code="HS-NEW")
    await page.goto(f"{server}/s/{later.link.token}")
    await page.get_by_role("button", name="Đồng ý", exact=True).click()
    await page.get_by_role("heading", name=NEW_SHOWN).wait_for()
    await page.goto(f"{server}/s/{earlier.link.token}")
    await page.get_by_role("heading", name=OLD_SHOWN).wait_for()


async def test_admin_sets_up_a_commune_and_its_people(
    services: Services, server: str, page
) -> None:  # type: ignore[no-untyped-def]
    await add_staff(services, "so.noivu", "admin", "TINH-TEST")
    await login(page, server, "so.noivu")
    await page.get_by_role("link", name="Đơn vị").first.click()
    await page.get_by_label("Mã").fill("XA-TANPHU")
    await page.get_by_label("Tên").fill("UBND xã Tân Phú")
    await page.get_by_label("Đơn vị cấp trên").select_option("TINH-TEST")
    await page.get_by_label("Số hồ sơ mỗi năm").fill("640")
    await page.get_by_role("button", name="Thêm đơn vị").click()
    await page.get_by_text("Đã thêm đơn vị XA-TANPHU.").wait_for()
    row = page.get_by_role("row", name="UBND xã Tân Phú")
    assert "100" in await row.inner_text()  # 640 dossiers a year: at least 100 forms
    assert await serious_violations(page) == []
    await row.get_by_role("link").click()
    assert await serious_violations(page) == []

    await page.get_by_role("link", name="Tài khoản").first.click()
    await page.get_by_label("Tên đăng nhập").fill("can.bo.tanphu")
    await page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    await page.get_by_label("Vai trò").select_option("clerk")
    await page.get_by_label("Đơn vị").select_option("XA-TANPHU")
    await page.get_by_role("button", name="Thêm tài khoản").click()
    await page.get_by_text("Đã thêm tài khoản can.bo.tanphu.").wait_for()
    assert await serious_violations(page) == []
    await page.get_by_role("button", name="Tạo liên kết Telegram: can.bo.tanphu").click()
    await page.get_by_text("Mã gắn tài khoản").wait_for()
    assert await serious_violations(page) == []

    await page.get_by_role("link", name="Cài đặt kênh").click()
    assert await serious_violations(page) == []
    await page.get_by_role("button", name="Đăng xuất").click()
    await login(page, server, "can.bo.tanphu")
    assert await page.get_by_text("Đang đăng nhập: can.bo.tanphu (cán bộ một cửa)").is_visible()
