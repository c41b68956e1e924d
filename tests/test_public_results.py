"""The public results page: what a unit published, readable by anyone, never a comment,
a dossier code or a phone; gone again after a withdraw."""

from __future__ import annotations

import html

import aiohttp

from bot.services import Services
from tests.support.browser import serious_violations
from tests.support.cli import InProcessCli
from tests.support.scheduler import complete_response
from tests.support.staff import StaffClient, add_staff

COMMUNE = "XA-HOATHANH"


def _cli(services: Services) -> InProcessCli:
    return InProcessCli(env={"SIPAS__DATABASE__URL": services.settings.database.url})


async def _get(url: str) -> tuple[int, str]:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status, html.unescape(await response.text())


async def test_published_results_appear_without_comments_and_go_after_withdraw(
    services: Services, server: str
) -> None:
    await complete_response(
        services, "3001", "HS-2026-000777", [5] * 22, comment="Chị Lan ở quầy 2 rất tận tình"
    )
    await complete_response(services, "3002", "HS-2026-000778", [2] * 22)
    assert (await _get(f"{server}/p/{COMMUNE}"))[0] == 404  # nothing published yet
    cli = _cli(services)
    done = await cli.in_thread("publish", "--unit", COMMUNE, "--period", "2026-11")
    assert done.returncode == 0, done.stderr
    assert f"/p/{COMMUNE}" in done.stdout
    status, body = await _get(f"{server}/p/{COMMUNE}")
    assert status == 200
    assert "UBND xã Hòa Thành" in body
    assert "2026-11" in body and "01/11/2026 – 30/11/2026" in body
    assert "50,0 %" in body  # one satisfied respondent of two, on every criterion
    assert "Chưa đủ số phiếu tối thiểu" in body  # two responses rank nothing
    for private in ("Chị Lan", "HS-2026-000777", "3001", "3002"):
        assert private not in body
    status, listing = await _get(f"{server}/p/")
    assert status == 200 and f'href="/p/{COMMUNE}"' in listing
    status, english = await _get(f"{server}/p/{COMMUNE}?lang=en")
    assert status == 200 and "50.0%" in english and "Not enough responses" in english
    again = await cli.in_thread("publish", "--unit", COMMUNE, "--period", "2026-11")
    assert "already" in again.stdout
    gone = await cli.in_thread("publish", "--unit", COMMUNE, "--period", "2026-11", "--withdraw")
    assert gone.returncode == 0, gone.stderr
    assert (await _get(f"{server}/p/{COMMUNE}"))[0] == 404
    assert f'href="/p/{COMMUNE}"' not in (await _get(f"{server}/p/"))[1]


async def test_publish_refuses_an_unknown_unit_or_period(services: Services) -> None:
    cli = _cli(services)
    unknown = await cli.in_thread("publish", "--unit", "XA-KHONGCO", "--period", "2026-11")
    assert unknown.returncode == 1 and "XA-KHONGCO" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    bad = await cli.in_thread("publish", "--unit", COMMUNE, "--period", "2026-13")
    assert bad.returncode == 1 and len(bad.stderr.strip().splitlines()) == 1


async def test_a_chair_publishes_from_the_staff_web_and_a_clerk_cannot(
    services: Services, server: str
) -> None:
    await add_staff(services, "chutich", "chair", COMMUNE)
    await add_staff(services, "motcua", "clerk", COMMUNE)
    await complete_response(services, "3003", "HS-3", [4] * 22)
    form = {"unit": COMMUNE, "period": "2026-Q4", "action": "publish"}
    async with StaffClient(server) as clerk:
        await clerk.login("motcua")
        await clerk.get("/staff/links/new")
        status, _ = await clerk.post("/staff/results/publish", form)
        assert status == 403
    assert (await _get(f"{server}/p/{COMMUNE}"))[0] == 404
    async with StaffClient(server) as chair:
        await chair.login("chutich")
        status, body = await chair.get("/staff/reports?period=2026-Q4")
        assert "Công bố kỳ 2026-Q4" in body  # the button on the report page
        status, body = await chair.post("/staff/results/publish", form)
        assert status == 200  # followed the redirect back to the report
        assert "Đã công bố kết quả kỳ 2026-Q4" in html.unescape(body)
        assert "Gỡ kỳ 2026-Q4 khỏi trang công khai" in html.unescape(body)
        status, body = await _get(f"{server}/p/{COMMUNE}")
        assert status == 200 and "2026-Q4" in body and "100,0 %" in body
        status, _ = await chair.post("/staff/results/publish", {**form, "unit": "TINH-TEST"})
        assert status == 403  # the province is not the chair's unit


async def test_public_page_in_a_browser_is_accessible_and_small(
    services: Services, server: str, page: object
) -> None:
    await complete_response(services, "3004", "HS-4", [4] * 22)
    done = await _cli(services).in_thread("publish", "--unit", COMMUNE, "--period", "2026-11")
    assert done.returncode == 0, done.stderr
    response = await page.goto(f"{server}/p/{COMMUNE}")  # type: ignore[attr-defined]
    assert response.status == 200
    assert len(await response.body()) < 20 * 1024
    assert await serious_violations(page) == []
    assert await page.locator("script").count() == 0  # type: ignore[attr-defined]
