"""The import page takes files larger than the application's other requests may be (a
100,000-row export), lists the first rows only, and refuses a file over its limit kindly."""

from __future__ import annotations

import re

import aiohttp

from bot.dossiers.bulk_import import SHOWN
from bot.services import Services
from bot.web.staff.imports import MAX_FILE
from tests.support.staff import StaffClient, add_staff

NOTE = "x" * 990  # a long "Ghi chú" column: a big file with few rows


async def upload(clerk: StaffClient, content: bytes, filename: str) -> tuple[int, str]:
    await clerk.get("/staff/import")
    form = aiohttp.FormData({"csrf": clerk.csrf, "unit": "XA-HOATHANH"})
    form.add_field("file", content, filename=filename, content_type="text/csv")
    return await clerk.post("/staff/import", form)


async def test_a_file_larger_than_other_requests_is_imported(
    services: Services, server: str
) -> None:
    rows = 5000
    lines = ["Mã hồ sơ,Ghi chú", *(f"HS-{n},{NOTE}" for n in range(rows))]
    content = "\n".join(lines).encode()
    assert len(content) > 4 * 1024 * 1024  # the application's limit for any other request
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as clerk:
        await clerk.login("thu.clerk")
        status, body = await upload(clerk, content, "lon.csv")
    assert status == 200, body[:300]
    assert f"{rows} đường liên kết mới, 0 đã có từ trước, 0 dòng lỗi" in body
    assert f"Trên đây là {SHOWN} dòng đầu trong số {rows}" in body
    assert len(re.findall(r'href="/staff/links/[\w-]{32}"', body)) == SHOWN  # one per link


async def test_a_file_over_the_limit_gets_a_kind_page(services: Services, server: str) -> None:
    content = b"dossier_code\n" + b"HS-1\n" * (MAX_FILE // 5)
    assert len(content) > MAX_FILE
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as clerk:
        await clerk.login("thu.clerk")
        status, body = await upload(clerk, content, "qua-lon.csv")
    assert status == 413
    assert f"Tệp quá lớn (tối đa {MAX_FILE // (1024 * 1024)} MB)." in body
