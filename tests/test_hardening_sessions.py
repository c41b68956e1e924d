"""Audit findings about staff sessions: an old cookie stops working after logout, a password
reset and a deactivation; the signing key lives in a key file (0600), not in the database,
and can be rotated without logging everyone out."""

from __future__ import annotations

import stat
from pathlib import Path

import aiohttp
import pytest
from yarl import URL

from bot.services import Services, build_services
from bot.staff import accounts
from bot.web.staff.security import COOKIE_NAME
from scheduler.clock import ManualClock
from storage.repos import system_settings
from tests.support.environment import fresh_database, make_settings
from tests.support.servers import serving
from tests.support.staff import StaffClient, add_staff

PAGE = "/staff/links/new"


async def logged_in_cookie(server: str, username: str) -> str:
    async with StaffClient(server) as client:
        status, body = await client.login(username)
        assert status == 200 and f"Đang đăng nhập: {username}" in body
        cookie = client.http.cookie_jar.filter_cookies(URL(server + "/staff/"))[COOKIE_NAME]
        return cookie.value


async def works(server: str, cookie: str) -> bool:
    """Whether a saved session cookie still opens a staff page."""
    async with (
        aiohttp.ClientSession(cookies={COOKIE_NAME: cookie}) as http,
        http.get(server + PAGE, allow_redirects=False) as response,
    ):
        return response.status == 200


async def test_logout_ends_the_session_even_for_a_saved_cookie(
    services: Services, server: str
) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as client:
        await client.login("thu.clerk")
        saved = client.http.cookie_jar.filter_cookies(URL(server + "/staff/"))[COOKIE_NAME].value
        assert await works(server, saved)
        _status, body = await client.post("/logout")
        assert 'action="/login"' in body
    assert not await works(server, saved)


@pytest.mark.parametrize("event", ["password", "deactivation"])
async def test_a_password_reset_or_deactivation_ends_every_session(
    services: Services, server: str, event: str
) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    first = await logged_in_cookie(server, "thu.clerk")
    second = await logged_in_cookie(server, "thu.clerk")  # another browser
    assert await works(server, first) and await works(server, second)
    if event == "password":
        await accounts.set_password(
            services, username="thu.clerk", password="một-mật-khẩu-mới-456", actor="admin"
        )
    else:
        await accounts.set_active(services, username="thu.clerk", active=False, actor="admin")
        await accounts.set_active(services, username="thu.clerk", active=True, actor="admin")
    assert not await works(server, first)
    assert not await works(server, second)


async def test_the_signing_key_is_a_private_file_and_rotates(
    sqlite_url: str, clock: ManualClock, port: int, tmp_path: Path
) -> None:
    key_file = tmp_path / "keys" / "secret.key"
    database = await fresh_database(sqlite_url)

    def services_with() -> Services:
        settings = make_settings(
            sqlite_url, port, SIPAS__WEB__SECRET_KEY="", SIPAS__WEB__SECRET_KEY_FILE=str(key_file)
        )
        return build_services(settings, clock, database)

    first = services_with()
    await add_staff(first, "thu.admin", "admin", None)
    async with serving(first, port) as server:
        cookie = await logged_in_cookie(server, "thu.admin")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    old_key = key_file.read_text().strip()
    assert len(old_key) >= 40
    async with database.transaction() as session:
        assert await system_settings.get(session, "web.secret_key") is None

    async with serving(services_with(), port) as server:  # a restart reads the same file
        assert await works(server, cookie)

    key_file.write_text(f"a-brand-new-signing-key-of-enough-length-0123\n{old_key}\n")
    async with serving(services_with(), port) as server:  # rotated: the old key verifies
        assert await works(server, cookie)
        fresh = await logged_in_cookie(server, "thu.admin")
    key_file.write_text("a-brand-new-signing-key-of-enough-length-0123\n")
    async with serving(services_with(), port) as server:  # the old key retired
        assert not await works(server, cookie)
        assert await works(server, fresh)
    await database.dispose()
