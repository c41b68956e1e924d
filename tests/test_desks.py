"""Desks: the CLI, a scan that opens a fresh anonymous rating, the burst limit, QR and poster."""

from __future__ import annotations

import io
import json
from pathlib import Path

import aiohttp
import pypdfium2
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import func, select

from bot.desks.service import DeskInfo
from bot.services import Services
from reports.digest import compose_digest
from reports.report import build_report
from scheduler.clock import ManualClock
from storage.models import SurveyLink
from storage.repos import desks, flow_versions, links, surveys, units
from tests.support.cli import InProcessCli
from tests.support.environment import START
from tests.support.scheduler import complete_response, uniform
from tests.support.servers import browser_client
from tests.support.surveys import UNIT
from tests.support.webchat import answer_through

PUBLIC = "https://khaosat.hoathanh.example.vn"


def _decode(image: Image.Image) -> list[str]:
    return [found.text for found in zxingcpp.read_barcodes(image)]


async def _desk(services: Services, name: str = "Quầy 1 - Tư pháp, hộ tịch") -> DeskInfo:
    return await services.desks.add(unit_code=UNIT, name=name, actor="test")


async def _scan(http: aiohttp.ClientSession, server: str, code: str) -> aiohttp.ClientResponse:
    async with http.get(f"{server}/d/{code}", allow_redirects=False) as response:
        await response.read()
        return response


def test_desks_add_prints_the_pinned_json(tmp_path: Path) -> None:
    cli = InProcessCli(
        env={
            "SIPAS__DATABASE__URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}",
            "SIPAS__WEB__PUBLIC_URL": PUBLIC,
        }
    )
    assert cli("units", "add", "XA-HOATHANH", "UBND xã Hòa Thành").returncode == 0
    ran = cli("desks", "add", "--unit", "XA-HOATHANH", "Quầy 1", "--json")
    assert ran.returncode == 0, ran.stderr
    data = json.loads(ran.stdout)
    code = data["code"]
    assert data["url"] == f"{PUBLIC}/d/{code}"
    assert data["qr_png"] == f"{PUBLIC}/d/{code}/qr.png"
    assert data["poster_pdf"] == f"{PUBLIC}/d/{code}/poster.pdf"
    assert (data["name"], data["unit"], data["flow"]) == ("Quầy 1", "XA-HOATHANH", "desk")
    for args, says in [
        (("--unit", "XA-NOWHERE", "Quầy 2"), "unknown unit"),
        (("--unit", "XA-HOATHANH", "Quầy 2", "--flow", "nope"), "unknown flow"),
        (("--unit", "XA-HOATHANH", "   "), "needs a name"),
    ]:
        ran = cli("desks", "add", *args)
        assert ran.returncode == 1 and ran.stderr.count("\n") == 1 and says in ran.stderr


async def test_each_scan_opens_a_fresh_rating_that_completes_normally(
    services: Services, server: str
) -> None:
    info = await _desk(services)
    tokens = []
    for _person in range(2):
        async with browser_client() as http:  # a new phone: no cookie
            response = await _scan(http, server, info.desk.code)
            assert response.status == 303
            tokens.append(response.headers["Location"].removeprefix("/s/"))
            page, presses = await answer_through(http, f"{server}/s/{tokens[-1]}")
            assert "Xin cảm ơn Ông/Bà đã đánh giá!" in page
            assert presses == 1 + 5 + 1  # consent, five questions, skip the comment
    assert tokens[0] != tokens[1]
    async with services.db.transaction() as session:
        for token in tokens:
            link = await links.by_token(session, token)
            assert link is not None and link.desk_id == info.desk.id and link.dossier_id is None
            survey = await surveys.for_link(session, link.id)
            assert survey is not None and survey.completed_at is not None
            assert len(await surveys.answers(session, survey.id)) == 5
        counted = await desks.completed_by_desk(
            session, info.unit.id, START, START.replace(year=START.year + 1)
        )
    assert counted == {info.desk.id: 2}


async def test_a_reload_continues_and_a_burst_from_one_address_is_limited(
    services: Services, server: str, clock: ManualClock
) -> None:
    info = await _desk(services)
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        first = await _scan(http, server, info.desk.code)
        again = await _scan(http, server, info.desk.code)  # the same phone reloads the page
        assert again.headers["Location"] == first.headers["Location"]
    limit = services.settings.desks.scans_per_client
    statuses = []
    for _attempt in range(limit):
        async with browser_client() as http:  # cookies cleared: counts as a new rating
            statuses.append((await _scan(http, server, info.desk.code)).status)
    assert statuses == [303] * (limit - 1) + [429]
    async with browser_client() as http, http.get(f"{server}/d/{info.desk.code}") as r:
        assert r.status == 429
        assert "thử lại sau ít phút" in await r.text()
    async with services.db.transaction() as session:
        opened = await session.scalar(
            select(func.count()).select_from(SurveyLink).where(SurveyLink.desk_id == info.desk.id)
        )
    assert opened == limit
    clock.advance(minutes=11)
    async with browser_client() as http:
        assert (await _scan(http, server, info.desk.code)).status == 303


async def test_unknown_desk_is_a_kind_404(services: Services, server: str) -> None:
    async with browser_client() as http:
        for path in ("/d/ZZZZZZZZ", "/d/ZZZZZZZZ/qr.png", "/d/ZZZZZZZZ/poster.pdf", "/d/bad!"):
            async with http.get(f"{server}{path}") as response:
                assert response.status == 404, path
        async with http.get(f"{server}/d/ZZZZZZZZ") as response:
            assert "hỏi cán bộ tại quầy" in await response.text()


async def test_qr_png_and_poster_carry_the_desk_url(services: Services, server: str) -> None:
    info = await _desk(services)
    url = services.desks.url(info.desk.code)
    async with browser_client() as http:
        async with http.get(f"{server}/d/{info.desk.code}/qr.png") as response:
            assert response.status == 200 and response.content_type == "image/png"
            qr = Image.open(io.BytesIO(await response.read()))
        async with http.get(f"{server}/d/{info.desk.code}/poster.pdf") as response:
            assert response.status == 200 and response.content_type == "application/pdf"
            pdf = await response.read()
    assert _decode(qr) == [url]
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = " ".join(reader.pages[0].extract_text().split())
    assert "UBND XÃ HÒA THÀNH" in text
    assert "Quầy 1 - Tư pháp, hộ tịch" in text
    assert "Mời Ông/Bà quét mã để đánh giá việc phục vụ tại quầy" in text
    rendered = pypdfium2.PdfDocument(pdf)[0].render(scale=2).to_pil()
    assert _decode(rendered) == [url]


@pytest.mark.parametrize("name", ["", "x" * 121, "Quầy\x001"])
async def test_a_bad_desk_name_is_refused(services: Services, name: str) -> None:
    from bot.desks.service import DeskProblem

    with pytest.raises(DeskProblem):
        await _desk(services, name)


async def test_desk_ratings_stay_out_of_the_sipas_digest(services: Services, server: str) -> None:
    async with services.db.transaction() as session:  # a newer desk version than Mẫu 01's
        desk_flow = await flow_versions.latest(session, "desk")
        assert desk_flow is not None
        await flow_versions.publish(
            session,
            flow_key="desk",
            form="desk",
            source=desk_flow.source + "\n# v2\n",
            now=START,
        )
    await complete_response(services, "c1", "HS-1", uniform({f"F{i}": 5 for i in range(1, 6)}))
    info = await _desk(services)
    async with browser_client() as http:
        response = await _scan(http, server, info.desk.code)
        page, _taps = await answer_through(
            http,
            f"{server}{response.headers['Location']}",
            lambda p, v: "yes" if p == "_consent" else v[0],
        )
    assert "Xin cảm ơn Ông/Bà đã đánh giá!" in page
    async with services.db.transaction() as session:
        unit = await units.require(session, UNIT)
        digest = await compose_digest(
            session, unit, "2026-W48", services.catalog.get, services.zone
        )
    assert (
        "Chỉ số SIPAS tuần này: 100,0 %" in digest.text
    )  # the desk's "very dissatisfied" is not in it
    assert "Phục vụ tại quầy" not in digest.text
    async with services.db.transaction() as session:
        report = await build_report(session, UNIT, "2026-11", now=START, locale="vi")
    # One SIPAS response counted; the desk rating is neither counted nor a web response.
    assert report["responses"]["counted"] == 1
    assert "desk" not in report["responses"]["by_source"]
    assert report["sipas"]["value"] == 100.0
