"""The web chat over HTTP with a real aiohttp client: statuses, size, no third-party assets."""

from __future__ import annotations

import re

from bot.services import Services, build_services
from scheduler.clock import ManualClock
from storage.db import Database
from tests.support.environment import free_port, make_settings
from tests.support.scheduler import QUESTION_IDS
from tests.support.servers import browser_client, serving
from tests.support.surveys import new_token


async def test_first_question_is_small_and_self_contained(services: Services, server: str) -> None:
    token = await new_token(services)
    async with browser_client() as http:
        async with http.get(f"{server}/s/{token}") as response:
            intro = await response.text()
            assert response.status == 200
            assert response.headers["Cache-Control"] == "no-store"
            assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        async with http.post(
            f"{server}/s/{token}", data={"prompt": "_consent", "choice": "yes"}
        ) as response:
            first = await response.read()
            assert response.status == 200 and str(response.url).endswith(f"/s/{token}")
    assert len(first) < 50 * 1024, len(first)
    page = first.decode()
    assert "Câu 1/22" in page
    assert not re.search(r"""(src|href)=["']https?://""", page + intro)  # no third-party assets
    assert "<script" not in page


async def test_unknown_and_malformed_tokens(services: Services, server: str) -> None:
    async with browser_client() as http:
        async with http.get(f"{server}/s/AAAAAAAAAAAAAAAAAAAAAAAA") as response:
            assert response.status == 404
            assert "không đúng" in await response.text()
        async with http.get(f"{server}/s/bad%20token!") as response:
            assert response.status == 404
        async with http.post(f"{server}/s/AAAAAAAAAAAAAAAAAAAAAAAA", data={"choice": "1"}) as r:
            assert r.status == 404


async def test_expired_link_says_so_kindly(services: Services, server: str, clock) -> None:  # type: ignore[no-untyped-def]
    token = await new_token(services)
    clock.advance(days=15)
    async with browser_client() as http, http.get(f"{server}/s/{token}") as response:
        assert response.status == 410
        assert "đã hết hạn" in await response.text()


async def test_the_qr_code_is_a_png_of_the_web_link(services: Services, server: str) -> None:
    token = await new_token(services)
    async with browser_client() as http:
        async with http.get(f"{server}/s/{token}/qr.png") as response:
            body = await response.read()
            assert response.status == 200 and response.content_type == "image/png"
        async with http.get(f"{server}/s/AAAAAAAAAAAAAAAAAAAAAAAA/qr.png") as response:
            assert response.status == 404
    assert body.startswith(b"\x89PNG")


async def test_a_malformed_post_changes_nothing(services: Services, server: str) -> None:
    token = await new_token(services)
    async with browser_client() as http:
        async with http.post(
            f"{server}/s/{token}",
            data=b"\xff\xfe garbage",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ) as response:
            assert response.status in (200, 400)
        async with http.get(f"{server}/s/{token}") as response:
            assert "có đồng ý tham gia" in await response.text()


async def test_healthz(services: Services, server: str) -> None:
    async with browser_client() as http, http.get(f"{server}/healthz") as response:
        assert response.status == 200
        assert await response.json() == {"status": "ok"}


async def test_a_dead_database_gets_a_kind_503(clock, port: int) -> None:  # type: ignore[no-untyped-def]
    """No database server listening: health says so and the web chat asks to retry later."""

    from bot.services import build_services
    from bot.web.server import build_app
    from storage.db import Database
    from tests.support.environment import free_port, make_settings
    from tests.support.servers import start_server

    dead = f"postgresql+asyncpg://sipas@127.0.0.1:{free_port()}/none"
    services = build_services(make_settings(dead, port), clock, Database(dead))
    runner = await start_server(build_app(services), port)
    try:
        async with browser_client() as http:
            async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                assert response.status == 503
            async with http.get(f"http://127.0.0.1:{port}/s/AAAAAAAAAAAAAAAAAAAAAAAA") as response:
                assert response.status == 503
                assert "thử lại sau" in await response.text()
            async with http.post(
                f"http://127.0.0.1:{port}/s/AAAAAAAAAAAAAAAAAAAAAAAA", data={"choice": "4"}
            ) as response:
                assert response.status == 503
    finally:
        await runner.cleanup()


PROMPT = re.compile(r'name="prompt" value="([^"]*)"')


async def test_two_web_processes_each_show_the_page_the_other_just_moved(
    services: Services, server: str, clock: ManualClock
) -> None:
    """Several ``run --role web`` processes share the database: a page load shows where the
    survey stands now, whichever process took the last answer (no stale page)."""
    port = free_port()
    other = build_services(make_settings(services.db.url, port), clock, Database(services.db.url))
    token = await new_token(services)
    steps = [("_consent", "yes"), *((question, "4") for question in QUESTION_IDS[:5])]
    try:
        async with serving(other, port) as second, browser_client() as http:
            for number, (prompt, choice) in enumerate(steps):
                posted_to = (server, second)[number % 2]
                async with http.post(
                    f"{posted_to}/s/{token}",
                    data={"prompt": prompt, "choice": choice},
                    allow_redirects=False,
                ) as response:
                    assert response.status == 303
                expected = QUESTION_IDS[number]
                for shown_by in (second, server)[:: 1 - 2 * (number % 2)]:
                    async with http.get(f"{shown_by}/s/{token}") as response:
                        page = await response.text()
                        assert response.status == 200
                    assert set(PROMPT.findall(page)) == {expected}, (number, shown_by)
    finally:
        await other.db.dispose()
