"""The web chat for an elderly citizen on a small phone, in real headless Chromium (the pages
carry no JavaScript; the test measures them with its own).

On a 360×740 screen every choice of the current question, "Không có ý kiến" included, is on
screen without scrolling; at 200 % zoom (a 180×370 CSS viewport) nothing is wider than the
screen and nothing overlaps; axe finds no serious or critical problem; an empty comment gets a
kind answer; the minimum number of taps for a whole survey is measured and kept low.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.services import Services
from tests.support.browser import ARGS, CHROMIUM, require_chromium, serious_violations
from tests.support.servers import browser_client
from tests.support.surveys import new_token
from tests.support.webchat import answer_through

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

LAYOUT = (Path(__file__).parent / "support" / "layout.js").read_text("utf-8")  # what a person sees


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    require_chromium()
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=ARGS
        )
        yield launched
        await launched.close()


async def new_page(browser: Any, width: int, height: int, scale: int) -> Any:
    context = await browser.new_context(
        viewport={"width": width, "height": height},
        device_scale_factor=scale,
        locale="vi-VN",
    )
    return await context.new_page()


async def layout(page: Any) -> dict[str, Any]:
    return await page.evaluate(LAYOUT)


def assert_tidy(seen: dict[str, Any], where: str) -> None:
    assert seen["scrollWidth"] <= seen["width"], (where, "wider than the screen", seen)
    assert seen["overlaps"] == [], (where, seen["overlaps"])
    assert seen["clipped"] == [], (where, seen["clipped"])


async def press(page: Any, label: str) -> None:
    await page.get_by_role("button", name=label, exact=True).click()


@SQLITE_ONLY
@pytest.mark.parametrize("form", ["citizen", "organization"])
async def test_every_choice_is_on_a_360x740_screen_without_scrolling(
    services: Services, server: str, browser: Any, form: str
) -> None:
    page = await new_page(browser, 360, 740, 2)
    await page.goto(f"{server}/s/{await new_token(services, form=form)}")
    assert await serious_violations(page) == []
    await press(page, "Đồng ý")
    screens = 0
    while await page.locator("textarea").count() == 0:
        seen = await layout(page)
        where = f"{form} question {screens + 1}"
        assert seen["choices"], where
        for label, top, bottom in seen["choices"]:
            assert 0 <= top and bottom <= seen["height"], (where, label, bottom)
        assert_tidy(seen, where)
        if screens in (0, 21):  # the first question, and one with "Không có ý kiến"
            labels = [label for label, _top, _bottom in seen["choices"]]
            assert ("Không có ý kiến" in labels) == (screens == 21), labels
            assert await serious_violations(page) == []
        await press(page, "Hài lòng")
        screens += 1
    assert screens == 22
    seen = await layout(page)  # the comment: the box, "Gửi" and both choices all on screen
    for label, _top, bottom in seen["choices"]:
        assert bottom <= seen["height"], ("comment", label, bottom)
    assert await serious_violations(page) == []


@SQLITE_ONLY
async def test_at_200_percent_zoom_nothing_overflows_or_overlaps(
    services: Services, server: str, browser: Any
) -> None:
    # 200 % zoom on a 360×740 phone: half the CSS pixels, each drawn twice as large.
    page = await new_page(browser, 180, 370, 4)
    await page.goto(f"{server}/s/{await new_token(services)}")
    assert_tidy(await layout(page), "intro")
    assert await serious_violations(page) == []
    await press(page, "Đồng ý")
    assert_tidy(await layout(page), "question 1")
    for _question in range(18):
        await press(page, "Hài lòng")
    assert_tidy(await layout(page), "question 19, with Không có ý kiến")
    assert await serious_violations(page) == []
    for _question in range(4):
        await press(page, "Không có ý kiến")
    await press(page, "Gửi")  # nothing typed
    await page.get_by_text("Ông/Bà chưa nhập nội dung nào.").wait_for()
    assert_tidy(await layout(page), "comment, with the notice")
    assert await serious_violations(page) == []
    await press(page, "Bỏ qua, gửi phiếu")
    await page.get_by_text("đã hoàn thành khảo sát").wait_for()
    assert_tidy(await layout(page), "thanks")


async def test_an_empty_comment_gets_a_kind_answer(services: Services, server: str) -> None:
    token = await new_token(services)
    url = f"{server}/s/{token}"

    def until_comment(prompt: str, values: list[str]) -> str:
        return "yes" if prompt == "_consent" else values[0]

    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        page, _presses = await answer_through(http, url, until_comment, limit=23)
        assert 'name="text"' in page  # at the comment now
        async with http.post(url, data={"prompt": "_comment", "text": "  \n "}) as response:
            page = await response.text()
        assert "Ông/Bà chưa nhập nội dung nào." in page and 'name="text"' in page
        async with http.get(url) as response:  # shown once: a reload no longer has it
            again = await response.text()
        assert "chưa nhập nội dung" not in again and 'name="text"' in again
        async with http.post(url, data={"prompt": "_comment", "text": "Cần thêm ghế"}) as r:
            assert "Đã ghi nhận góp ý." in await r.text()


async def test_minimum_taps_for_a_whole_survey(
    services: Services, server: str, record_property: Any
) -> None:
    """The fewest taps that complete a survey, reported per form: 24 for 22 questions.

    That is the floor the questions allow: consent must be given (a tap, by law and by the
    methodology) before anything is stored; every question needs its own tap (none is
    answered for the respondent); and the response is sent by one tap at the comment step,
    "Bỏ qua, gửi phiếu", which also carries the report / petition offer beside it, so no
    second closing question follows. Letting the last answer send the response would save
    that tap but would send it before the optional comment could be written."""
    for form, questions in (("citizen", 22), ("organization", 22)):
        token = await new_token(services, dossier=f"HS-{form}", form=form)
        async with browser_client() as http:
            page, taps = await answer_through(http, f"{server}/s/{token}")
        assert "đã hoàn thành khảo sát" in page
        record_property(f"minimum_taps_{form}", taps)
        print(f"minimum taps for a whole {form} survey: {taps}")
        assert taps == 1 + questions + 1 == 24, taps  # consent, questions, "Bỏ qua, gửi phiếu"
