"""The staff home page's dashboard: each unit in scope with this month's counted responses,
index, open and overdue reports / petitions."""

from __future__ import annotations

import html
import re

from bot.services import Services
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
            assert row_of(body, unit) == ["0", "— (chưa đủ phiếu)", "—", "1", "1", "Báo cáo"]
