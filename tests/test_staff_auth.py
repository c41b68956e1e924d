"""Staff login: sessions, CSRF, rate limiting, audit, deactivation, safe redirects."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from bot.services import Services
from bot.web.staff.auth import ACCOUNT_FREE_ATTEMPTS, safe_next
from scheduler.clock import ManualClock
from storage.repos import audit
from tests.support.servers import serving
from tests.support.staff import PASSWORD, StaffClient, add_staff


async def actions(services: Services, action: str) -> list[str]:
    async with services.db.transaction() as session:
        return [e.subject or "" for e in await audit.entries(session, action)]


async def test_login_sets_a_safe_cookie_and_audits(services: Services, server: str) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as client:
        async with client.http.get(server + "/login") as response:
            cookie = response.headers.get("Set-Cookie", "")
        status, body = await client.get("/staff/links/new")
        assert status == 200 and 'action="/login"' in body  # redirected to the login page
        status, body = await client.login("thu.clerk", "wrong password!!")
        assert status == 401 and "Tên đăng nhập hoặc mật khẩu không đúng." in body
        status, body = await client.login("thu.clerk")
        assert status == 200 and "Đang đăng nhập: thu.clerk" in body
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # public_url is http in tests
    assert await actions(services, "login.failure") == ["thu.clerk"]
    assert await actions(services, "login.success") == ["thu.clerk"]


async def test_forms_without_the_csrf_token_are_refused(services: Services, server: str) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as client:
        await client.login("thu.clerk")
        form = {"unit": "XA-HOATHANH", "dossier": "HS-1", "form": "citizen"}
        async with client.http.post(server + "/staff/links/new", data=form) as response:
            assert response.status == 403
            assert "Phiên làm việc đã hết hạn" in await response.text()
        status, _ = await client.post("/staff/links/new", {**form, "csrf": "forged"})
        assert status == 403
    async with services.db.transaction() as session:
        assert await audit.entries(session, "link.create") == []
    # Even the login form needs the token (login CSRF).
    async with aiohttp.ClientSession() as http:
        login = {"username": "thu.clerk", "password": "whatever"}
        async with http.post(server + "/login", data=login) as response:
            assert response.status == 403


async def test_failed_logins_are_rate_limited_per_username_and_address(
    services: Services, server: str, clock: ManualClock
) -> None:
    """Back-off, not lock-out: the pause after the free attempts doubles (1 s, 2 s...)."""
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as client:
        for _ in range(ACCOUNT_FREE_ATTEMPTS):
            status, _ = await client.login("thu.clerk", "not the password")
            assert status == 401
        status, body = await client.login("thu.clerk")  # even the right password waits
        assert status == 429 and "thử lại sau 1 giây" in body
        clock.advance(seconds=1)
        status, _ = await client.login("thu.clerk", "not the password")
        assert status == 401
        status, body = await client.login("thu.clerk")
        assert status == 429 and "thử lại sau 2 giây" in body
        clock.advance(seconds=2)
        status, body = await client.login("thu.clerk")
        assert status == 200 and "Đang đăng nhập: thu.clerk" in body
    assert len(await actions(services, "login.limited")) == 1


async def test_logout_and_deactivation_end_the_session(services: Services, server: str) -> None:
    await add_staff(services, "admin", "admin", None)
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as clerk, StaffClient(server) as admin:
        await clerk.login("thu.clerk")
        await admin.login("admin")
        await admin.get("/staff/admin/users")
        status, _ = await admin.post("/staff/admin/users/thu.clerk/active", {"active": "0"})
        assert status == 200
        status, body = await clerk.get("/staff/links/new")
        assert 'action="/login"' in body
        status, body = await admin.post("/logout")
        assert 'action="/login"' in body
        status, body = await admin.get("/staff/admin/users")
        assert 'action="/login"' in body
    assert await actions(services, "user.deactivate") == ["thu.clerk"]


async def test_language_switch_keeps_english_after_login(services: Services, server: str) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as client:
        await client.get("/login")
        status, body = await client.post("/locale", {"locale": "en", "next": "/login"})
        assert status == 200 and "Staff login" in body
        status, body = await client.login("thu.clerk")
        assert "Logged in: thu.clerk (clerk)" in body


def test_next_only_allows_local_paths() -> None:
    assert safe_next("/staff/links") == "/staff/links"
    for bad in ("//evil.example", "https://evil.example/", "/\\evil", "", None, "staff"):
        assert safe_next(bad) == "/staff/"


async def test_a_dead_database_gets_a_kind_page(clock, port: int) -> None:  # type: ignore[no-untyped-def]
    from bot.services import build_services
    from tests.support.environment import make_settings

    dead = "postgresql+asyncpg://sipas@127.0.0.1:9/nowhere"  # nothing listens on port 9
    settings = make_settings(dead, port, SIPAS__WEB__SECRET_KEY="a-configured-secret-key")
    services = build_services(settings, clock)
    async with serving(services, port) as base, StaffClient(base) as client:
        status, body = await client.get("/login")
        assert status == 200
        status, body = await client.login("thu.clerk")
        assert status == 503 and "Hệ thống đang bận" in body
    await services.db.dispose()


async def test_the_first_admin_comes_from_the_cli_and_sessions_survive_a_restart(
    sqlite_url: str, clock, port: int, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """`sipas-bot users add` makes the first admin; the session key comes from the settings,
    never from the database, so a second server (a restart) accepts the same cookie."""
    import io

    from bot.cli import main
    from bot.services import build_services
    from storage.repos import system_settings
    from tests.support.environment import fresh_database, make_settings

    database = await fresh_database(sqlite_url)
    monkeypatch.setenv("SIPAS__DATABASE__URL", sqlite_url)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        await asyncio.to_thread(
            main, ["users", "add", "admin", "--role", "admin", "--password-stdin"]
        )
        == 0
    )
    settings = make_settings(sqlite_url, port)
    async with StaffClient(f"http://127.0.0.1:{port}") as client:
        async with serving(build_services(settings, clock, database), port):
            status, body = await client.login("admin")
            assert "Đang đăng nhập: admin (quản trị)" in body
        async with serving(build_services(settings, clock, database), port):  # a restart
            status, body = await client.get("/staff/admin/units")
            assert status == 200 and "Đang đăng nhập: admin" in body
    async with database.transaction() as session:
        assert await system_settings.get(session, "web.secret_key") is None
    await database.dispose()


async def test_cookies_are_secure_behind_https(sqlite_url: str, clock, port: int) -> None:  # type: ignore[no-untyped-def]
    from bot.services import build_services
    from tests.support.environment import fresh_database, make_settings

    database = await fresh_database(sqlite_url)
    settings = make_settings(sqlite_url, port, SIPAS__WEB__PUBLIC_URL="https://sipas.example.vn")
    async with serving(build_services(settings, clock, database), port) as base:
        async with aiohttp.ClientSession() as http, http.get(f"{base}/login") as response:
            cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    await database.dispose()
