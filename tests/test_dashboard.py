"""The staff home page's dashboard: each unit in scope with this month's counted responses,
index, open and overdue reports / petitions."""

from __future__ import annotations

import html
import re

from bot.services import Services
from storage.repos import units
from tests.support.scheduler import complete_response, recording
from tests.support.staff import StaffClient, add_staff


def row_of(body: str, name: str) -> list[str]:
    text = html.unescape(body)
    row = re.search(rf"<th scope=\"row\">{name}</th>(.*?)</tr>", text, re.S)
    assert row is not None, name
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td>(.*?)</td>", row.group(1), re.S)
    ]


async def test_the_home_page_shows_each_unit_at_a_glance(services: Services, server: str) -> None:
    recording(services)
    await add_staff(services, "chutich", "chair", "XA-HOATHANH")
    await add_staff(services, "sonoivu", "viewer", "TINH-TEST")
    await complete_response(services, "d1", "HS-D1", [5] * 22, complaint="Chờ lâu")
    await complete_response(services, "d2", "HS-D2", [3] * 22)
    async with StaffClient(server) as chair:
        await chair.login("chutich")
        status, body = await chair.get("/staff/")
        assert status == 200 and "Tình hình tháng này" in body
        assert row_of(body, "UBND xã Hòa Thành") == [
            "2",
            "50,0 % (chưa đủ phiếu)",
            "—",  # October had nothing to compare with
            "—",  # not ranked: not enough responses
            "1",
            "0",
            "Báo cáo",
        ]  # one of two satisfied, two responses rank nothing
        assert "Tỉnh Thử nghiệm</th>" not in body  # a chair sees their own unit only
    services.clock.advance(days=20)  # type: ignore[attr-defined]
    async with StaffClient(server) as viewer:
        await viewer.login("sonoivu")
        status, body = await viewer.get("/staff/")
        # December: no response yet; the complaint is overdue (15 days)
        for unit in ("Tỉnh Thử nghiệm", "UBND xã Hòa Thành"):
            assert row_of(body, unit) == ["0", "— (chưa đủ phiếu)", "—", "—", "1", "1", "Báo cáo"]


async def test_a_province_sees_its_communes_ranked_only_when_they_have_enough(
    services: Services, server: str
) -> None:
    async with services.db.transaction() as session:
        for code, name in (("XA-A", "UBND xã A"), ("XA-B", "UBND xã B"), ("XA-C", "UBND xã C")):
            quota = None if code == "XA-C" else 1  # XA-C keeps the sample-size table: 30
            await units.add(
                session, code, name, now=services.now(), parent_code="TINH-TEST", quota=quota
            )
    await add_staff(services, "sonoivu", "viewer", "TINH-TEST")
    await complete_response(services, "r1", "HS-R1", [4] * 22, unit="XA-A")
    await complete_response(services, "r2", "HS-R2", [5] * 11 + [2] * 11, unit="XA-B")
    await complete_response(services, "r3", "HS-R3", [5] * 22, unit="XA-C")
    async with StaffClient(server) as viewer:
        await viewer.login("sonoivu")
        status, body = await viewer.get("/staff/")
    assert status == 200
    assert row_of(body, "UBND xã A")[3] == "1"  # 100 %, enough for its quota of 1
    assert row_of(body, "UBND xã B")[3] == "2"
    assert row_of(body, "UBND xã C")[3] == "—"  # 100 % too, but one response of 30 needed
