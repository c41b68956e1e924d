"""``/z/<code>``: the landing page a Zalo link opens (the code to send, the web chat as a
fallback), served by the real web server with the Zalo bot channel on; and one headless
Chromium run checking it with axe."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiohttp import ClientSession

from bot.services import Services
from bot.staff import accounts
from tests.fakes.zalo_api import FakeZaloBotAPI
from tests.support.browser import serious_violations
from tests.support.staff import add_staff
from tests.support.zalo_bench import ZaloBench, running_bench


async def get(url: str) -> tuple[int, str]:
    async with ClientSession() as http, http.get(url) as response:
        return response.status, await response.text()


async def survey_code(bench: ZaloBench, dossier: str) -> tuple[str, str]:
    """A survey link's ``links.zalo`` URL and its code."""
    info = await bench.services.links.create(unit_code="XA-HOATHANH", dossier_code=dossier)
    url = str(bench.services.links.as_json(info)["links"]["zalo"])
    return url, info.link.short_code


async def test_live_unknown_and_expired_codes(
    zalo_bot_api: FakeZaloBotAPI, services: Services, port: int
) -> None:
    async with running_bench(zalo_bot_api, services, port, "webhook") as bench:
        url, code = await survey_code(bench, "HS-2026-000301")
        assert url == f"http://127.0.0.1:{port}/z/{code}"
        status, page = await get(url)
        assert status == 200 and f">{code}<" in page
        assert "/s/" in page and "Trả lời trên trình duyệt" in page  # the web fallback
        assert (await get(f"{url.lower()}?lang=en"))[0] == 200  # typed in lower case
        assert "Send the code above" in (await get(f"{url}?lang=en"))[1]

        status, page = await get(f"http://127.0.0.1:{port}/z/ABCDEF")
        assert status == 404 and "Không tìm thấy mã này" in page
        assert (await get(f"http://127.0.0.1:{port}/z/not-a-code"))[0] == 404

        await add_staff(bench.services, "clerk9", "clerk", "XA-HOATHANH")
        binding = await accounts.new_binding(
            bench.services, username="clerk9", channel="zalo_bot", actor="test"
        )
        status, page = await get(binding.link)
        assert status == 200 and binding.code in page and "cán bộ" in page
        assert "/s/" not in page and "gõ số" not in page  # no survey behind a binding code

        bench.clock.now = bench.clock.now + timedelta(days=400)  # long after both expired
        status, page = await get(url)
        assert status == 410 and code not in page and "đã hết hạn" in page
        assert (await get(binding.link))[0] == 410


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_landing_page_in_chromium_is_accessible(
    zalo_bot_api: FakeZaloBotAPI, services: Services, port: int, page: Any
) -> None:
    async with running_bench(zalo_bot_api, services, port, "webhook") as bench:
        url, code = await survey_code(bench, "HS-2026-000302")
        await page.goto(url)
        await page.get_by_text(code, exact=True).wait_for()
        assert await serious_violations(page) == []
        await page.get_by_role("link", name="English").click()
        await page.get_by_text("Send the code above", exact=False).wait_for()
        assert await serious_violations(page) == []
        await page.get_by_role("link", name="Answer in the browser").click()
        await page.wait_for_url("**/s/**")
