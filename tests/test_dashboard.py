"""The staff home page's dashboard: each unit in scope with this month's counted responses,
index, open and overdue reports / petitions."""

from __future__ import annotations

import html
import re
from datetime import date

from bot.services import Services
from reports.dashboard import month_weeks
from tests.support.scheduler import complete_response, recording
from tests.support.staff import StaffClient, add_staff


def test_a_month_takes_the_iso_weeks_whose_thursday_it_holds() -> None:
    assert month_weeks(date(2026, 11, 24)) == [f"2026-W{w}" for w in (45, 46, 47, 48)]
    assert month_weeks(date(2026, 12, 1)) == [f"2026-W{w}" for w in (49, 50, 51, 52, 53)]
    assert month_weeks(date(2027, 1, 15))[0] == "2027-W01"  # W53 belongs to December


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
            "50,0 %",
            "1",
            "0",
            "Báo cáo",
        ]  # one of two satisfied
        assert "Tỉnh Thử nghiệm</th>" not in body  # a chair sees their own unit only
    services.clock.advance(days=20)  # type: ignore[attr-defined]
    async with StaffClient(server) as viewer:
        await viewer.login("sonoivu")
        status, body = await viewer.get("/staff/")
        # December: no response yet; the complaint is overdue (15 days)
        assert row_of(body, "Tỉnh Thử nghiệm") == ["0", "—", "1", "1", "Báo cáo"]
        assert row_of(body, "UBND xã Hòa Thành") == ["0", "—", "1", "1", "Báo cáo"]
