"""Helpers for staff-page tests: accounts, and an HTTP client that logs in and sends the
CSRF token the pages carry (a real aiohttp client against the real server).
"""

from __future__ import annotations

import re
from typing import Any

import aiohttp

from bot.services import Services
from bot.staff import accounts as staff_accounts

PASSWORD = "mật-khẩu-đủ-dài-123"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def add_staff(services: Services, username: str, role: str, unit: str | None) -> None:
    await staff_accounts.add_user(
        services, username=username, password=PASSWORD, role=role, unit_code=unit, actor="test"
    )


class StaffClient:
    """A browser-like client: keeps the session cookie, reads the CSRF token from pages."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.csrf = ""

    async def __aenter__(self) -> StaffClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.http.close()

    def _remember(self, body: str) -> None:
        found = CSRF.search(body)
        if found:
            self.csrf = found.group(1)

    async def get(self, path: str, **kw: Any) -> tuple[int, str]:
        async with self.http.get(self.base + path, **kw) as response:
            body = await response.text()
            self._remember(body)
            return response.status, body

    async def post(self, path: str, data: Any = None, **kw: Any) -> tuple[int, str]:
        if data is None:
            data = {}
        if isinstance(data, dict):
            data = {"csrf": self.csrf, **data}
        async with self.http.post(self.base + path, data=data, **kw) as response:
            body = await response.text()
            self._remember(body)
            return response.status, body

    async def login(self, username: str, password: str = PASSWORD) -> tuple[int, str]:
        await self.get("/login")
        return await self.post("/login", {"username": username, "password": password})
