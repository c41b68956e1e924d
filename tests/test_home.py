"""``GET /``: what this server is, the staff login, and whether the database answers; in
Vietnamese (English with ?lang=en), with the security headers of every page and no data."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from bot.services import Services, build_services
from bot.web.server import SECURITY_HEADERS
from scheduler.clock import ManualClock
from storage.db import Database
from tests.support.browser import serious_violations
from tests.support.environment import free_port, make_settings
from tests.support.servers import serving

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)


async def fetch(url: str) -> tuple[int, dict[str, str], str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, dict(response.headers), await response.text()


@pytest.mark.parametrize(
    ("query", "lang", "title", "login", "health", "switch"),
    [
        (
            "",
            "vi",
            "Kênh khảo sát SIPAS qua chat",
            "Đăng nhập trang cán bộ",
            "Cơ sở dữ liệu: đang hoạt động.",
            '<a class="lang" href="/?lang=en" lang="en" hreflang="en">English</a>',
        ),
        (
            "?lang=en",
            "en",
            "SIPAS chat survey channel",
            "Staff login",
            "Database: answering.",
            '<a class="lang" href="/?lang=vi" lang="vi" hreflang="vi">Tiếng Việt</a>',
        ),
        ("?lang=fr", "vi", "Kênh khảo sát SIPAS qua chat", "Đăng nhập", "đang hoạt động", ""),
    ],
)
async def test_the_home_page_says_what_this_is(
    services: Services,
    server: str,
    query: str,
    lang: str,
    title: str,
    login: str,
    health: str,
    switch: str,
) -> None:
    status, headers, body = await fetch(f"{server}/{query}")
    assert status == 200
    assert f'<html lang="{lang}">' in body
    assert f"<h1>{title}</h1>" in body
    assert f'<a href="/login">{login}' in body
    assert health in body and switch in body
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value
    # No data: no unit, no figure, no channel that does not exist yet.
    assert "Hòa Thành" not in body and "XA-HOATHANH" not in body and "Zalo" not in body


async def test_the_home_page_says_when_the_database_does_not_answer(clock: ManualClock) -> None:
    port = free_port()
    dead = f"postgresql+asyncpg://sipas@127.0.0.1:{free_port()}/none"
    services = build_services(make_settings(dead, port), clock, Database(dead))
    try:
        async with serving(services, port) as base:
            status, _headers, body = await fetch(f"{base}/?lang=en")
    finally:
        await services.db.dispose()
    assert status == 200
    assert "Database: not answering. Please try again in a few minutes." in body
    assert "Database: answering." not in body


@SQLITE_ONLY
async def test_the_home_page_in_a_browser_is_accessible(
    services: Services, server: str, page: Any
) -> None:
    await page.goto(f"{server}/")
    assert await page.get_attribute("html", "lang") == "vi"
    assert await page.get_by_role("heading", level=1).inner_text() == "Kênh khảo sát SIPAS qua chat"
    assert await serious_violations(page) == []
    await page.get_by_role("link", name="English").click()
    await page.get_by_role("heading", name="SIPAS chat survey channel").wait_for()
    assert await serious_violations(page) == []
    await page.get_by_role("link", name="Staff login").click()
    await page.wait_for_url(f"{server}/login*")
