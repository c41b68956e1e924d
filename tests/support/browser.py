"""Headless Chromium (Debian's) driven by Playwright, and an axe-core accessibility check.

Browser tests are skipped with a reason when /usr/bin/chromium is missing, unless
SIPAS_REQUIRE_BROWSER=1 (CI), where a missing browser fails the run.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("SIPAS_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("SIPAS_REQUIRE_BROWSER") == "1":
            pytest.fail(f"SIPAS_REQUIRE_BROWSER=1 but {CHROMIUM} does not exist")
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium; see .ci/run)")


@pytest.fixture
async def page() -> AsyncIterator[object]:
    """A phone-sized page in a fresh headless Chromium."""
    require_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=ARGS
        )
        context = await browser.new_context(viewport=PHONE, device_scale_factor=2, locale="vi-VN")
        page = await context.new_page()
        yield page
        await context.close()
        await browser.close()


async def serious_violations(page: object) -> list[str]:
    """axe-core violations of serious or critical impact on the current page."""
    from axe_playwright_python.async_playwright import Axe

    results = await Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


async def staff_login(page: Any, server: str, username: str) -> None:
    """Log in through the staff login form (the password of tests.support.staff)."""
    from tests.support.staff import PASSWORD

    await page.goto(f"{server}/staff/")
    assert "/login" in page.url
    await page.get_by_label("Tên đăng nhập").fill(username)
    await page.get_by_label("Mật khẩu").fill(PASSWORD)
    await page.get_by_role("button", name="Đăng nhập").click()
    await page.wait_for_url(f"{server}/staff/")
