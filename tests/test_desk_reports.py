"""Reports cut by desk: ratings given through the real web chat after a scan of the desk's QR
code appear in the desk's figures (per question, share satisfied with its Wilson interval,
comments counted); a flagged rating does not; desks are ranked only with enough ratings; the
staff page, the report page's "Theo quầy" section, the unit report's ``desks`` list and
``sipas-bot desks report`` agree; another unit's staff get 403; the query uses indexes."""

from __future__ import annotations

import json
from datetime import date

import aiohttp
import pytest
from sqlalchemy import select, text

from bot.cli import main
from bot.desks.service import DeskInfo
from bot.services import Services
from reports.desks import MINIMUM, build_desk_report
from reports.estimates import wilson
from reports.periods import parse_period
from reports.report import build_report
from storage.models import SurveyLink, SurveySession
from storage.repos import desk_ratings, flags, units
from tests.support.browser import serious_violations
from tests.support.servers import browser_client
from tests.support.staff import StaffClient, add_staff
from tests.support.surveys import UNIT
from tests.support.webchat import current
from tests.test_staff_browser import login

NOVEMBER = parse_period("2026-11", today=date(2026, 12, 2))
LIKED = {"wait": "4", "done_today": "1", "attitude": "5", "guidance": "4", "overall": "5"}
DISLIKED = {"wait": "2", "done_today": "2", "attitude": "1", "guidance": "3", "overall": "2"}


async def _desk(services: Services, name: str, unit: str = UNIT) -> DeskInfo:
    return await services.desks.add(unit_code=unit, name=name, actor="test")


async def _post(http: aiohttp.ClientSession, url: str, data: dict[str, str]) -> str:
    async with http.post(url, data=data) as response:
        return await response.text()


async def rate(server: str, code: str, choices: dict[str, str], comment: str | None = None) -> str:
    """One person scans the desk's QR code and answers in the web chat; the link's token."""
    async with browser_client() as http:
        async with http.get(f"{server}/d/{code}", allow_redirects=False) as response:
            assert response.status == 303
            url = f"{server}{response.headers['Location']}"
        async with http.get(url) as response:
            page = await response.text()
        while (asked := current(page)) is not None:
            prompt, _values = asked
            if prompt == "_consent":
                page = await _post(http, url, {"prompt": prompt, "choice": "yes"})
            elif prompt == "_comment" and comment:
                page = await _post(http, url, {"prompt": prompt, "text": comment})
            elif prompt == "_comment":
                page = await _post(http, url, {"prompt": prompt, "choice": "skip"})
            else:
                page = await _post(http, url, {"prompt": prompt, "choice": choices[prompt]})
        assert "Xin cảm ơn Ông/Bà đã đánh giá!" in page
        return url.rsplit("/", 1)[1]


async def flag(services: Services, token: str) -> None:
    async with services.db.transaction() as session:
        survey = await session.scalar(
            select(SurveySession).join(SurveyLink).where(SurveyLink.token == token)
        )
        assert survey is not None and survey.completed_at is not None
        await flags.raise_flag(
            session, session_id=survey.id, flag="too_fast", evidence={}, now=services.now()
        )


async def desk_report(services: Services, desk: str | None = None) -> dict:
    async with services.db.transaction() as session:
        unit = await units.require(session, UNIT)
        return await build_desk_report(
            session, unit, NOVEMBER, locale="vi", flows=services.catalog.get, desk_code=desk
        )


def by_code(report: dict) -> dict[str, dict]:
    return {entry["desk"]["code"]: entry for entry in report["desks"]}


def question(entry: dict, question_id: str) -> dict:
    return next(q for q in entry["questions"] if q["id"] == question_id)


async def test_web_chat_ratings_appear_by_desk_and_a_flagged_one_does_not(
    services: Services, server: str, clock
) -> None:  # type: ignore[no-untyped-def]
    first, second = await _desk(services, "Quầy 1 - Tư pháp"), await _desk(services, "Quầy 2")
    await rate(server, first.desk.code, LIKED, comment="Cán bộ nhiệt tình")
    await rate(server, first.desk.code, DISLIKED)
    flagged = await rate(server, first.desk.code, DISLIKED, comment="Phiếu nghi vấn")
    clock.advance(minutes=11)  # the scan limit per address and desk is over
    await rate(server, second.desk.code, LIKED)
    await flag(services, flagged)

    found = by_code(await desk_report(services))
    one, two = found[first.desk.code], found[second.desk.code]
    assert one["responses"] == {"counted": 2, "excluded": 1}
    assert one["comments"] == 1  # the flagged rating's comment is not counted either
    assert two["responses"] == {"counted": 1, "excluded": 0}
    wait = question(one, "wait")
    assert {a["value"]: a["count"] for a in wait["answers"]} == {1: 0, 2: 1, 3: 0, 4: 1, 5: 0}
    assert [a["label"] for a in wait["answers"]][-1] == "Rất hài lòng"
    assert wait["satisfied"] == {**wilson(1, 2).as_json(), "n": 2}
    done_today = question(one, "done_today")
    assert {a["label"]: a["count"] for a in done_today["answers"]} == {"Có": 1, "Không": 1}
    assert done_today["satisfied"]["value"] == 50.0
    # Two ratings are far below the minimum: nothing is ranked, every share says so.
    assert (one["sufficient"], one["rank"], one["required"]) == (False, None, MINIMUM)
    assert not any(q["sufficient"] for q in one["questions"])

    async with services.db.transaction() as session:
        report = await build_report(
            session, UNIT, NOVEMBER, now=services.now(), locale="vi", flows=services.catalog.get
        )
    listed = {d["desk"]["code"]: d for d in report["desks"]}
    assert listed[first.desk.code]["responses"]["counted"] == 2
    assert listed[first.desk.code]["index"] == one["index"]
    assert "questions" not in listed[first.desk.code]


async def test_desks_are_ranked_only_with_enough_ratings(services: Services, server: str) -> None:
    best, good, few = [await _desk(services, name) for name in ("A", "B", "C")]
    for number in range(MINIMUM):
        for info, choices in ((best, LIKED), (good, LIKED if number % 2 else DISLIKED)):
            scan = await services.desks.scan(info.desk.code, f"10.0.{number}.1")
            assert scan.token is not None
            async with browser_client() as http:
                url = f"{server}/s/{scan.token}"
                await _post(http, url, {"prompt": "_consent", "choice": "yes"})
                for question_id, value in choices.items():
                    await _post(http, url, {"prompt": question_id, "choice": value})
                assert "đã đánh giá" in await _post(
                    http, url, {"prompt": "_comment", "choice": "skip"}
                )
    await rate(server, few.desk.code, LIKED)
    found = by_code(await desk_report(services))
    assert found[best.desk.code]["responses"]["counted"] == MINIMUM
    assert (found[best.desk.code]["rank"], found[good.desk.code]["rank"]) == (1, 2)
    assert found[best.desk.code]["index"]["value"] == 100.0
    assert found[few.desk.code]["index"]["value"] == 100.0  # as high, but not enough to rank
    assert (found[few.desk.code]["sufficient"], found[few.desk.code]["rank"]) == (False, None)
    overall = question(found[good.desk.code], "overall")
    half = MINIMUM // 2
    assert overall["satisfied"] == {**wilson(half, MINIMUM).as_json(), "n": MINIMUM}
    assert overall["sufficient"]
    only = await desk_report(services, desk=good.desk.code.lower())
    assert [d["desk"]["code"] for d in only["desks"]] == [good.desk.code]
    assert only["desks"][0]["rank"] == 2 and only["ranked"] == 2


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_staff_see_their_desks_and_another_units_staff_get_403(
    services: Services, server: str
) -> None:
    info = await _desk(services, "Quầy 1 - Tư pháp")
    await rate(server, info.desk.code, LIKED, comment="Rất hài lòng với quầy")
    async with services.db.transaction() as session:
        await units.add(session, "XA-KHAC", "UBND xã Khác", now=services.now())
    await add_staff(services, "chu.tich", "chair", UNIT)
    await add_staff(services, "xem.tinh", "viewer", "TINH-TEST")
    await add_staff(services, "chu.tich.khac", "chair", "XA-KHAC")
    await add_staff(services, "thu.ky", "clerk", UNIT)
    page = f"/staff/desks/{info.desk.code}/report?period=2026-11"
    for username in ("chu.tich", "xem.tinh"):
        async with StaffClient(server) as staff:
            await staff.login(username)
            status, body = await staff.get(page)
            assert status == 200, body
            assert "Phiếu được tính: 1 (không tính 0 phiếu cần xem xét). Góp ý: 1." in body
            assert "Chưa đủ phiếu: có 1, cần ít nhất 30 phiếu trong kỳ." in body
            assert "Thời gian Ông/Bà chờ đến lượt tại quầy" in body and "Hài lòng: 1" in body
            assert "Rất hài lòng với quầy" not in body  # a count, never the words or who
            status, body = await staff.get("/staff/reports?unit=XA-HOATHANH&period=2026-11")
            assert status == 200 and "Theo quầy" in body and page in body
            wrong = f"/staff/desks/{info.desk.code}/report?period=2026-13"
            assert (await staff.get(wrong))[0] == 400
    for username in ("chu.tich.khac", "thu.ky"):
        async with StaffClient(server) as staff:
            await staff.login(username)
            assert (await staff.get(page))[0] == 403
    async with StaffClient(server) as staff:
        await staff.login("chu.tich")
        assert (await staff.get("/staff/desks/NOSUCH1/report"))[0] == 403


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_cli_prints_each_desk_as_text_or_json(
    services: Services, server: str, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    info = await _desk(services, "Quầy 1 - Tư pháp")
    await rate(server, info.desk.code, LIKED)
    monkeypatch.setenv("SIPAS__DATABASE__URL", services.db.url)
    args = ["desks", "report", "--unit", UNIT, "--period", "2026-11"]
    assert await _main([*args, "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == await desk_report(services)
    assert await _main([*args, "--desk", info.desk.code]) == 0
    printed = capsys.readouterr().out
    assert "Kết quả đánh giá tại quầy · UBND xã Hòa Thành · 2026-11" in printed
    assert "Quầy 1 - Tư pháp" in printed and "Chưa đủ phiếu (1/30): không xếp hạng" in printed
    assert "Rất hài lòng: 1" in printed
    for wrong, says in (
        (["--desk", "NOSUCH1"], "has no desk NOSUCH1"),
        (["--period", "2026-13"], "2026-13"),
    ):
        assert await _main([*args, *wrong]) == 1
        err = capsys.readouterr().err
        assert says in err and err.count("\n") == 1 and "Traceback" not in err


async def _main(args: list[str]) -> int:
    """``sipas-bot`` in this process: it runs its own event loop, so in a worker thread."""
    import asyncio

    return await asyncio.to_thread(main, args)


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_the_desk_query_reads_through_indexes(services: Services) -> None:
    """Every table of the answers query is reached by an index, never scanned whole."""
    query = desk_ratings.answers_query([1, 2], NOVEMBER.start, NOVEMBER.end)
    compiled = query.compile(
        dialect=services.db.engine.dialect, compile_kwargs={"literal_binds": True}
    )
    async with services.db.transaction() as session:
        plan = [row[-1] for row in await session.execute(text(f"EXPLAIN QUERY PLAN {compiled}"))]
    scans = [step for step in plan if step.startswith("SCAN") and "INDEX" not in step]
    assert scans == [], plan
    assert any("survey_links" in step and "ix_survey_links_desk_id" in step for step in plan), plan


async def test_the_desk_pages_in_the_browser(services: Services, server: str, page) -> None:  # type: ignore[no-untyped-def]
    """From the report page's "Theo quầy" section to the desk's page, with axe."""
    info = await _desk(services, "Quầy 1 - Tư pháp")
    await rate(server, info.desk.code, LIKED)
    await add_staff(services, "chu.tich", "chair", UNIT)
    await login(page, server, "chu.tich")
    await page.goto(f"{server}/staff/reports?unit={UNIT}&period=2026-11")
    await page.get_by_role("heading", name="Theo quầy").wait_for()
    assert await serious_violations(page) == []
    await page.get_by_role("link", name="Quầy 1 - Tư pháp").click()
    await page.get_by_role("heading", name="Kết quả đánh giá tại quầy: Quầy 1 - Tư pháp").wait_for()
    assert await page.get_by_text("chưa đủ phiếu").count() >= 1
    assert await serious_violations(page) == []
