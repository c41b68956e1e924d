"""The web chat in real headless Chromium on a phone-sized screen, JavaScript off.

A respondent completes Mẫu 01 and Mẫu 02; the stored answers give the hand-computed indices.
Also: going back, reloading in the middle, a used link, accessibility and touch targets.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.services import Services
from flows.scoring import score
from storage.models import SurveySession
from storage.repos import surveys, tallies, units
from tests.support.browser import serious_violations
from tests.support.surveys import new_token

SQLITE_ONLY = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

LABELS = {
    1: "Rất không hài lòng",
    2: "Không hài lòng",
    3: "Bình thường",
    4: "Hài lòng",
    5: "Rất hài lòng",
    0: "Không có ý kiến",
}
# Hand-computed: F1 100 %, F2 40 %, F3 50 %, F4 100 %, F5 (5.1 and 5.4 no opinion) 50 %.
ANSWERS = [5, 5, 5, 5, 4, 4, 3, 3, 2, 5, 4, 3, 2, 1, 5, 4, 4, 4, 0, 5, 2, 0]
EXPECTED_FACTORS = {"F1": 100.0, "F2": 40.0, "F3": 50.0, "F4": 100.0, "F5": 50.0}
EXPECTED_SIPAS = 68.0


async def press(page: Any, label: str) -> None:
    await page.get_by_role("button", name=label, exact=True).click()


async def open_survey(page: Any, services: Services, server: str, dossier: str, form: str) -> str:
    token = await new_token(services, dossier, form)
    await page.goto(f"{server}/s/{token}")
    return token


async def complete(page: Any, answers: list[int], comment: str | None = None) -> None:
    await press(page, "Đồng ý")
    for number, value in enumerate(answers, start=1):
        await page.get_by_text(f"Câu {number}/22", exact=True).wait_for()
        await press(page, LABELS[value])
    if comment:
        await page.get_by_label("Câu trả lời của Ông/Bà").fill(comment)
        await press(page, "Gửi")
    else:
        await press(page, "Bỏ qua, gửi phiếu")
        await page.get_by_text("đã hoàn thành khảo sát").wait_for()
        return
    await press(page, "Gửi phiếu")  # the report / petition offered after a comment: declined
    await page.get_by_text("đã hoàn thành khảo sát").wait_for()


async def stored_scores(services: Services) -> Any:
    async with services.db.transaction() as session:
        survey = await session.scalar(select(SurveySession))
        assert survey is not None and survey.completed_at is not None
        flow = await services.catalog.get(session, survey.flow_version_id)
        unit = await units.require(session, "XA-HOATHANH")
        day = survey.completed_on
        assert day is not None
        tally = (await tallies.tally(session, [unit.id], day, day))[unit.id]
        answers = await surveys.answers(session, survey.id)
    return flow, score(flow, tally.for_version(survey.flow_version_id)), answers


@pytest.fixture
async def no_js_page(page: Any) -> Any:
    """The same phone, with JavaScript disabled: the survey must not need it."""
    context = await page.context.browser.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False, locale="vi-VN"
    )
    no_js = await context.new_page()
    yield no_js
    await context.close()


@pytest.mark.parametrize("form", ["citizen", "organization"])
async def test_a_full_survey_in_the_browser_gives_the_expected_indices(
    services: Services, server: str, no_js_page: Any, form: str
) -> None:
    page = no_js_page
    await open_survey(page, services, server, "HS-2026-000123", form)
    address = "Quý cơ quan, tổ chức" if form == "organization" else "Ông/Bà"
    assert address in await page.content()
    await complete(page, ANSWERS, comment="Cán bộ hướng dẫn rất tận tình.")
    flow, scores, answers = await stored_scores(services)
    assert flow.form == form
    assert [answers[q.id] for q in flow.questions] == ANSWERS
    assert {f.factor_id: f.index for f in scores.factors} == EXPECTED_FACTORS
    assert scores.overall == pytest.approx(EXPECTED_SIPAS)


@SQLITE_ONLY
async def test_back_changes_the_previous_answer(services: Services, server: str, page: Any) -> None:
    await open_survey(page, services, server, "HS-BACK", "citizen")
    await press(page, "Đồng ý")
    await press(page, "Bình thường")
    await page.get_by_text("Câu 2/22", exact=True).wait_for()
    await press(page, "↩ Quay lại")
    await page.get_by_text("Câu 1/22", exact=True).wait_for()
    chosen = page.get_by_role("button", name="Bình thường", exact=True)
    assert await chosen.get_attribute("aria-pressed") == "true"
    await press(page, "Rất hài lòng")
    await page.get_by_text("Câu 2/22", exact=True).wait_for()
    async with services.db.transaction() as session:
        survey = await session.scalar(select(SurveySession))
        assert survey is not None
        assert await surveys.answers(session, survey.id) == {"1.1": 5}


@SQLITE_ONLY
async def test_reload_in_the_middle_continues_where_it_stopped(
    services: Services, server: str, page: Any
) -> None:
    token = await open_survey(page, services, server, "HS-RELOAD", "citizen")
    await press(page, "Đồng ý")
    for value in (4, 4, 5):
        await press(page, LABELS[value])
    await page.get_by_text("Câu 4/22", exact=True).wait_for()
    await page.reload()
    await page.get_by_text("Câu 4/22", exact=True).wait_for()
    # a new tab (the respondent opens the link again from their messages)
    other = await page.context.new_page()
    await other.goto(f"{server}/s/{token}")
    await other.get_by_text("Câu 4/22", exact=True).wait_for()
    await press(other, "Hài lòng")
    await other.get_by_text("Câu 5/22", exact=True).wait_for()
    # the first tab is now behind: its button only re-shows the current question
    await press(page, "Rất hài lòng")
    await page.get_by_text("Câu 5/22", exact=True).wait_for()
    async with services.db.transaction() as session:
        survey = await session.scalar(select(SurveySession))
        assert survey is not None
        assert await surveys.answers(session, survey.id) == {"1.1": 4, "1.2": 4, "1.3": 5, "1.4": 4}


@SQLITE_ONLY
async def test_a_used_link_cannot_start_a_second_response(
    services: Services, server: str, page: Any
) -> None:
    token = await open_survey(page, services, server, "HS-USED", "citizen")
    await complete(page, [4] * 22)
    await page.goto(f"{server}/s/{token}")
    assert "đã hoàn thành khảo sát" in await page.content()
    assert await page.get_by_role("button").count() == 0
    async with services.db.transaction() as session:
        assert len(list(await session.scalars(select(SurveySession)))) == 1


@SQLITE_ONLY
async def test_pages_are_accessible_with_large_touch_targets(
    services: Services, server: str, page: Any
) -> None:
    await open_survey(page, services, server, "HS-A11Y", "citizen")
    assert await serious_violations(page) == []
    await press(page, "Đồng ý")
    await press(page, "Hài lòng")
    assert await serious_violations(page) == []
    for button in await page.get_by_role("button").all():
        box = await button.bounding_box()
        assert box is not None and box["height"] >= 48 and box["width"] >= 280
    await page.screenshot(path="test-artifacts/webchat-question.png", full_page=True)
    await page.goto(page.url + "?lang=en")
    assert await page.get_by_text("Question 2/22", exact=True).count() == 1
    assert await serious_violations(page) == []
