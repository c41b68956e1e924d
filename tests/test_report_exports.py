"""The XLSX and PDF exports show the report's numbers, Vietnamese text intact, and never a
formula made of someone's text."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

from openpyxl import load_workbook
from pypdf import PdfReader

from bot.services import Services
from reports.exports.pdf import render_pdf
from reports.exports.xlsx import render_xlsx
from reports.formatting import number, percent
from tests.support.cli import InProcessCli
from tests.support.report_sample import sample_report
from tests.support.scheduler import complete_response


def _sheets(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_xlsx_has_the_four_sheets_with_numbers_as_numbers() -> None:
    sheets = _sheets(render_xlsx(sample_report(), "vi"))
    assert list(sheets) == ["Tổng hợp", "Mức độ hài lòng", "Đơn vị trực thuộc", "Diễn biến"]
    summary = [row[:2] for row in sheets["Tổng hợp"]]
    assert ("Đơn vị", "UBND xã Hòa Thạnh") in summary
    assert ("Từ ngày", datetime(2026, 10, 1)) in summary  # a real date, not text
    sipas_row = next(row for row in sheets["Tổng hợp"] if row[0] == "Chỉ số SIPAS")
    assert sipas_row[1:4] == (76.0, 61.3, 87.2)
    assert ("Phiếu được tính", 4) in summary
    assert ("Tỷ lệ xác nhận khi phúc tra (%)", 100.0) in summary
    assert ("Đường liên kết đã tạo", 9) in summary
    levels = {row[0]: row for row in sheets["Mức độ hài lòng"][1:]}
    assert levels["3.1"][3:8] == (0, 1, 1, 1, 1)
    assert levels["3.1"][10] == 50.0
    assert levels["2.4"][8] == 4  # "Không có ý kiến", outside the criterion's n
    assert levels["2.4"][10] is None  # nobody answered it: empty, not zero


def test_xlsx_neutralises_a_formula_in_a_name() -> None:
    data = render_xlsx(sample_report(), "en")
    book = load_workbook(io.BytesIO(data))
    cell = book["Units below"]["B2"]
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://evil")'


def test_pdf_reads_back_with_diacritics_and_the_same_numbers() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(sample_report(), "vi")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert 595 <= float(reader.pages[0].mediabox.width) <= 596  # A4
    for expected in (
        "UBND xã Hòa Thạnh",
        "Chỉ số SIPAS: 76,0 %",
        "61,3 – 87,2",
        "Công chức có thái độ giao tiếp lịch sự",
        "50,0 %",
        "chưa đủ phiếu",
        "01/10/2026 – 31/12/2026",
        "Phúc tra: gọi 3 phiếu, 2 xác nhận, 0 phủ nhận, 1 không liên lạc được; tỷ lệ xác nhận "
        "100,0 %",
        "Đường liên kết: 9 tạo, 7 mở, 6 đồng ý, 4 hoàn thành",
    ):
        assert expected in text, expected
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("DejaVu" in name for name in fonts)


def test_pdf_in_english() -> None:
    reader = PdfReader(io.BytesIO(render_pdf(sample_report(), "en")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "SIPAS index: 76.0%" in text
    assert "not enough responses" in text


async def test_the_quarter_as_json_xlsx_and_pdf_tells_the_same_numbers(
    services: Services, tmp_path: Path
) -> None:
    """A department's download: the XLSX and the PDF say what the JSON and the page say."""
    await complete_response(services, "4001", "HS-41", [5] * 22)
    await complete_response(services, "4002", "HS-42", [4] * 11 + [2] * 11)
    await complete_response(services, "4003", "HS-43", [3] * 22)
    cli = InProcessCli(env={"SIPAS__DATABASE__URL": services.settings.database.url})
    common = ("report", "--unit", "XA-HOATHANH", "--period", "2026-Q4")
    as_json = await cli.in_thread(*common, "--format", "json")
    assert as_json.returncode == 0, as_json.stderr
    report = json.loads(as_json.stdout)
    xlsx, pdf = tmp_path / "q4.xlsx", tmp_path / "q4.pdf"
    for fmt, out in (("xlsx", xlsx), ("pdf", pdf)):
        done = await cli.in_thread(*common, "--format", fmt, "--out", str(out))
        assert done.returncode == 0, done.stderr
    sipas = report["sipas"]
    summary = _sheets(xlsx.read_bytes())["Tổng hợp"]
    sipas_row = next(row for row in summary if row[0] == "Chỉ số SIPAS")
    assert sipas_row[1:4] == (sipas["value"], sipas["low"], sipas["high"])
    assert next(row for row in summary if row[0] == "Phiếu được tính")[1] == 3
    reader = PdfReader(pdf)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert f"Chỉ số SIPAS: {percent(sipas['value'], 'vi')}" in text
    assert f"{number(sipas['low'], 1)} – {number(sipas['high'], 1)}" in text
    needs_bare_binary = await cli.in_thread(*common, "--format", "pdf")
    assert needs_bare_binary.returncode == 1 and "--out" in needs_bare_binary.stderr
