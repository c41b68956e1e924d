"""The desks page: a chair adds a desk and gets its poster, a clerk may not, errors are kind;
in headless Chromium with axe."""

from __future__ import annotations

import re

from bot.services import Services
from tests.support.browser import serious_violations
from tests.support.staff import StaffClient, add_staff
from tests.test_staff_browser import login


async def test_a_chair_adds_a_desk_and_a_clerk_may_not(services: Services, server: str) -> None:
    await add_staff(services, "chu.tich", "chair", "XA-HOATHANH")
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as chair:
        await chair.login("chu.tich")
        status, body = await chair.get("/staff/desks")
        assert status == 200 and "Chưa có quầy nào." in body
        status, body = await chair.post("/staff/desks", {"unit": "XA-HOATHANH", "name": "  "})
        assert status == 422 and "Xin nhập tên quầy." in body
        status, body = await chair.post(
            "/staff/desks", {"unit": "XA-HOATHANH", "name": "Quầy 2", "flow": "nope"}
        )
        assert status == 422 and "chưa được phát hành" in body
        status, body = await chair.post(
            "/staff/desks", {"unit": "XA-HOATHANH", "name": "Quầy 2 - Đất đai", "flow": "desk"}
        )
        assert status == 200 and "Đã thêm Quầy 2 - Đất đai." in body
        code = re.search(r'id="desk-([A-Z0-9]+)"', body).group(1)  # type: ignore[union-attr]
        assert f"/d/{code}/poster.pdf" in body
        async with chair.http.get(f"{server}/d/{code}/poster.pdf") as response:
            assert response.status == 200
            assert (await response.read()).startswith(b"%PDF")
    async with StaffClient(server) as clerk:
        await clerk.login("thu.clerk")
        assert (await clerk.get("/staff/desks"))[0] == 403


async def test_desks_page_in_the_browser(services: Services, server: str, page) -> None:  # type: ignore[no-untyped-def]
    await add_staff(services, "chu.tich", "chair", "XA-HOATHANH")
    await login(page, server, "chu.tich")
    await page.get_by_role("link", name="Mã QR tại quầy").click()
    assert await serious_violations(page) == []
    await page.get_by_role("button", name="Thêm quầy").click()
    await page.get_by_text("Xin nhập tên quầy.").wait_for()
    assert await serious_violations(page) == []
    await page.get_by_label("Tên quầy").fill("Quầy 1 - Tư pháp")
    await page.get_by_role("button", name="Thêm quầy").click()
    await page.get_by_text("Đã thêm Quầy 1 - Tư pháp.").wait_for()
    poster = page.get_by_role("link", name="Áp phích của Quầy 1 - Tư pháp")
    assert (await poster.get_attribute("href") or "").endswith("/poster.pdf?lang=vi")
    assert await serious_violations(page) == []
