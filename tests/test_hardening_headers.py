"""Audit findings "headers and leaks": every answer carries the security headers, the server
does not name its versions, and log lines never carry a survey link token."""

from __future__ import annotations

import logging

import aiohttp
import pytest

from bot.services import Services
from bot.web.server import SECURITY_HEADERS
from scheduler.clock import ManualClock
from tests.support.servers import serving_without_database

TOKEN = "Zq3Yt0kenThatMustNeverBeLogged"


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/no-such-page", 404),
        ("GET", "/logout", 405),  # a POST-only route
        ("GET", "/staff/", 303),  # not logged in: a redirect to the login page
        ("GET", "/api/v1/nothing-here", 404),
    ],
)
async def test_errors_and_redirects_carry_the_security_headers(
    services: Services, server: str, method: str, path: str, status: int
) -> None:
    async with (
        aiohttp.ClientSession() as http,
        http.request(method, server + path, allow_redirects=False) as response,
    ):
        assert response.status == status
        for name, value in SECURITY_HEADERS.items():
            assert response.headers.get(name) == value, name
        assert "Server" not in response.headers or not any(
            word in response.headers["Server"] for word in ("aiohttp", "Python", "/")
        )


async def test_a_dead_database_is_logged_without_the_link_token(
    clock: ManualClock, caplog: pytest.LogCaptureFixture
) -> None:
    """A 503 on a page load is logged; no log line names the token (the capability)."""
    caplog.set_level(logging.INFO)
    async with serving_without_database(clock) as url, aiohttp.ClientSession() as http:
        async with http.get(f"{url}/s/{TOKEN}") as response:
            assert response.status == 503
        page_lines = [r for r in caplog.records if "503" in r.getMessage()]
        assert page_lines, "the 503 on a page load was not logged"
        async with http.post(f"{url}/s/{TOKEN}", data={"choice": "4"}) as response:
            assert response.status == 503
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "database unavailable during a turn" in logged
    assert TOKEN not in logged
    assert TOKEN[:12] not in logged


async def test_control_characters_never_reach_a_digest(services: Services) -> None:
    """A comment carrying terminal escapes, a bidi override and a NUL reaches the chairs'
    digest as plain text."""
    from reports.digest import compose_digest
    from storage.repos import units
    from tests.support.scheduler import complete_response

    await complete_response(
        services, "chat-1", "HS-1", [4] * 22, comment="Tốt\x1b[31m lắm\u202e\x00\x07 ạ\x7f"
    )
    async with services.db.transaction() as session:
        unit = await units.require(session, "XA-HOATHANH")
        digest = await compose_digest(
            session, unit, "2026-W48", services.catalog.get, services.zone
        )
    assert "«Tốt[31m lắm ạ»" in digest.text
    assert not any(
        (ord(c) < 32 and c != "\n") or 0x7F <= ord(c) < 0xA0 or c == "\u202e" for c in digest.text
    )


async def test_a_staff_page_503_logs_the_route_not_the_link_token(
    services: Services, server: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A database failure on /staff/links/{token} is logged with the route's pattern."""
    from sqlalchemy import text

    from tests.support.staff import StaffClient, add_staff

    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as client:
        await client.login("thu.clerk")
        cascade = " CASCADE" if services.db.dialect == "postgresql" else ""
        async with services.db.transaction() as session:  # the page's table is gone
            await session.execute(text(f"DROP TABLE survey_links{cascade}"))
        caplog.set_level(logging.INFO)
        status, _ = await client.get(f"/staff/links/{TOKEN}")
        assert status == 503
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "/staff/links/{token}" in logged
    assert TOKEN not in logged
