"""Batch-printed survey slips: four A6 slips on each A4 page (cut along the dashed lines),
each with the QR code of the survey link, the short link, the Zalo short code, the dossier
code and a one-line invitation, in Vietnamese (the desk prints for citizens).

Rendered with fpdf2 and DejaVu Sans embedded (``reports.pdf_fonts``), so the PDF prints the
same everywhere; the QR codes are drawn by segno at a resolution that prints sharp.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import segno

from reports.pdf_fonts import add_fonts

if TYPE_CHECKING:
    from fpdf import FPDF

A4 = (210.0, 297.0)
SLIP = (A4[0] / 2, A4[1] / 2)  # A6 = a quarter of A4
MARGIN = 7.0
QR_SIZE = 66.0
PER_PAGE = 4

WORDS = {
    "title": "PHIẾU KHẢO SÁT SỰ HÀI LÒNG",
    "invite": "Mời Ông/Bà quét mã QR để đánh giá sự phục vụ (khoảng 3 phút, giữ bí mật).",
    "link": "Hoặc mở: {url}",
    "code": "Trên Zalo, gửi mã: {code}",
    "dossier": "Hồ sơ: {dossier}",
}


@dataclass(frozen=True)
class Slip:
    unit_name: str
    dossier: str
    survey_url: str  # what the QR code opens
    short_url: str  # the landing page /z/<code>, short enough to type
    short_code: str


def _qr(pdf: FPDF, data: str, x: float, y: float) -> None:
    qr = segno.make(data, error="m")
    buffer = io.BytesIO()
    qr.save(buffer, kind="png", scale=10, border=2)
    buffer.seek(0)
    pdf.image(buffer, x=x, y=y, w=QR_SIZE, h=QR_SIZE)


def _slip(pdf: FPDF, family: str, slip: Slip, x: float, y: float) -> None:
    width = SLIP[0] - 2 * MARGIN
    pdf.set_xy(x + MARGIN, y + MARGIN)
    pdf.set_font(family, "B", 11)
    pdf.multi_cell(width, 5.5, slip.unit_name, align="C")
    pdf.set_x(x + MARGIN)
    pdf.set_font(family, "B", 12)
    pdf.multi_cell(width, 6, WORDS["title"], align="C")
    _qr(pdf, slip.survey_url, x + (SLIP[0] - QR_SIZE) / 2, pdf.get_y() + 2)
    pdf.set_xy(x + MARGIN, pdf.get_y() + QR_SIZE + 4)
    pdf.set_font(family, "", 9.5)
    pdf.multi_cell(width, 4.6, WORDS["invite"], align="C")
    pdf.set_x(x + MARGIN)
    pdf.set_font(family, "", 9)
    pdf.multi_cell(width, 4.6, WORDS["link"].format(url=slip.short_url), align="C")
    pdf.set_x(x + MARGIN)
    pdf.set_font(family, "B", 10)
    pdf.multi_cell(width, 5, WORDS["code"].format(code=slip.short_code), align="C")
    pdf.set_x(x + MARGIN)
    pdf.set_font(family, "", 9)
    pdf.multi_cell(width, 4.6, WORDS["dossier"].format(dossier=slip.dossier), align="C")


def _cut_lines(pdf: FPDF) -> None:
    pdf.set_draw_color(150, 150, 150)
    pdf.set_dash_pattern(dash=2, gap=2)
    pdf.line(SLIP[0], 0, SLIP[0], A4[1])
    pdf.line(0, SLIP[1], A4[0], SLIP[1])
    pdf.set_dash_pattern()


def slips_pdf(slips: Sequence[Slip], title: str = "Phiếu khảo sát") -> bytes:
    """The slips, four to an A4 page, in the given order (at least one page)."""
    from fpdf import FPDF  # imported when slips are printed: a second of the server's start

    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_title(title)
    pdf.set_creator("sipas-bot")
    family = add_fonts(pdf)
    for start in range(0, max(len(slips), 1), PER_PAGE):
        pdf.add_page()
        _cut_lines(pdf)
        for position, slip in enumerate(slips[start : start + PER_PAGE]):
            column, row = position % 2, position // 2
            _slip(pdf, family, slip, column * SLIP[0], row * SLIP[1])
    return bytes(pdf.output())
