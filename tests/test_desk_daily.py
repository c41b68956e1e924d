"""The desk's daily work: the links list searched, filtered and paged; batch-printed slips
(four per A4 page, QR codes that decode to the survey links); the import templates."""

from __future__ import annotations

import html
import io
import re

import aiohttp
import openpyxl
import pypdfium2
import pytest
import zxingcpp

from bot.dossiers.bulk_import import TableError, parse_table
from bot.services import Services
from tests.support.scheduler import open_survey
from tests.support.staff import StaffClient, add_staff


def pages_of(pdf: bytes) -> list[tuple[list[str], str]]:
    """Each page's decoded QR codes and text (rendered like a scanner sees the print)."""
    document = pypdfium2.PdfDocument(pdf)
    found = []
    for page in document:
        image = page.render(scale=2).to_pil()
        codes = sorted(code.text for code in zxingcpp.read_barcodes(image))
        found.append((codes, page.get_textpage().get_text_range()))
    return found


async def fetch(client: StaffClient, path: str) -> tuple[int, str, bytes]:
    async with client.http.get(client.base + path) as response:
        return response.status, response.content_type, await response.read()


async def test_the_links_list_is_searched_filtered_and_paged(
    services: Services, server: str
) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    for number in range(1, 56):
        phone = f"09123{number:05d}" if number % 10 == 0 else None
        await services.links.create(
            unit_code="XA-HOATHANH", dossier_code=f"HS-{number:03d}", phone=phone
        )
    await open_survey(services, "c-1", "HS-900", answers=[4, 4])
    async with StaffClient(server) as clerk:
        await clerk.login("thu.clerk")
        status, body = await clerk.get("/staff/links")
        assert status == 200 and "Tìm thấy 56 đường liên kết." in body
        assert "HS-900" in body and "HS-007" in body and "HS-006" not in body  # 50 per page
        assert "Trang 1/2" in body
        status, body = await clerk.get("/staff/links?page=2")
        assert "HS-006" in body and "HS-001" in body and "HS-900" not in body
        status, body = await clerk.get("/staff/links?q=hs-02")
        assert "Tìm thấy 10 đường liên kết." in body and "HS-020" in body
        status, body = await clerk.get("/staff/links?q=00030")  # the phone's last digits
        assert "Tìm thấy 1 đường liên kết." in body and "HS-030" in body
        status, body = await clerk.get("/staff/links?status=in_progress")
        assert "Tìm thấy 1 đường liên kết." in body and "HS-900" in body
        status, body = await clerk.get("/staff/links?status=bogus&page=x")
        assert status == 200 and "Tìm thấy 56 đường liên kết." in body


async def test_a_days_slips_print_four_per_page_with_working_qr_codes(
    services: Services, server: str
) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    made = [
        await services.links.create(unit_code="XA-HOATHANH", dossier_code=f"HS-{n}")
        for n in range(1, 7)
    ]
    async with StaffClient(server) as clerk:
        await clerk.login("thu.clerk")
        status, body = await clerk.get("/staff/links")
        day = re.search(r"/staff/links/slips\.pdf\?day=([0-9-]+)", body).group(1)  # type: ignore[union-attr]
        status, kind, pdf = await fetch(clerk, f"/staff/links/slips.pdf?day={day}")
        assert status == 200 and kind == "application/pdf"
        status, _, _ = await fetch(clerk, "/staff/links/slips.pdf?day=2020-01-01")
        assert status == 404  # no link that day: nothing to print
        status, _, _ = await fetch(clerk, "/staff/links/slips.pdf?day=hôm-nay")
        assert status == 400
    pages = pages_of(pdf)
    urls = [services.links.web_url(info.link.token) for info in made]
    assert [codes for codes, _ in pages] == [sorted(urls[:4]), sorted(urls[4:])]
    first_text = pages[0][1]
    assert "Mời Ông/Bà quét mã QR" in first_text and "UBND xã Hòa Thành" in first_text
    assert f"Trên Zalo, gửi mã: {made[0].link.short_code}" in first_text
    assert f"/z/{made[0].link.short_code}" in first_text and "Hồ sơ: HS-1" in first_text


async def test_an_imports_slips_and_the_templates(services: Services, server: str) -> None:
    await add_staff(services, "thu.clerk", "clerk", "XA-HOATHANH")
    async with StaffClient(server) as clerk:
        await clerk.login("thu.clerk")
        status, body = await clerk.get("/staff/import")
        assert "danh-sach-ho-so.xlsx" in body
        status, kind, xlsx = await fetch(clerk, "/staff/import/templates/danh-sach-ho-so.xlsx")
        assert status == 200 and kind.endswith("spreadsheetml.sheet")
        status, kind, csv_template = await fetch(
            clerk, "/staff/import/templates/danh-sach-ho-so.csv"
        )
        assert status == 200 and csv_template.startswith(b"\xef\xbb\xbf")
        book = openpyxl.load_workbook(io.BytesIO(xlsx))
        sheet = book["Danh sách hồ sơ"]
        assert [c.value for c in sheet[1]] == ["Mã hồ sơ", "Loại", "Thủ tục", "Số điện thoại"]
        assert book.sheetnames == ["Danh sách hồ sơ", "Hướng dẫn"]
        with pytest.raises(TableError):  # an empty template imports nothing by mistake
            parse_table("danh-sach-ho-so.xlsx", xlsx)
        sheet.append(["HS-T1", "Tổ chức", "Đăng ký kinh doanh", "0912 345 678"])
        sheet.append(["HS-T2", "", "", "12345"])
        filled = io.BytesIO()
        book.save(filled)
        form = aiohttp.FormData({"csrf": clerk.csrf, "unit": "XA-HOATHANH"})
        form.add_field("file", filled.getvalue(), filename="danh-sach-ho-so.xlsx")
        status, body = await clerk.post("/staff/import", form)
        assert status == 200
        text = html.unescape(body)
        assert "2 đường liên kết mới" in text and "0 dòng lỗi" in text
        assert "Số điện thoại “12345” không hợp lệ" in text and "hồ sơ vẫn được nhập" in text
        slips = re.search(r'href="(/staff/import/[^"]+/slips\.pdf)"', body).group(1)  # type: ignore[union-attr]
        status, kind, pdf = await fetch(clerk, slips)
        assert status == 200 and kind == "application/pdf"
    [(codes, text)] = pages_of(pdf)
    assert len(codes) == 2 and all(code.startswith(f"{server}/s/") for code in codes)
    assert "Hồ sơ: HS-T1" in text and "Hồ sơ: HS-T2" in text
