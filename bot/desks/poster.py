"""The A4 poster fixed at a desk: the commune, the desk, a big QR code and one line of invitation.

Drawn with fpdf2 in DejaVu Sans (it has every Vietnamese letter), embedded by
``reports.pdf_fonts`` like every other PDF of the product.
"""

from __future__ import annotations

import io
import unicodedata

import segno

from flows.texts import Phrasebook, lookup
from reports.pdf_fonts import add_fonts

WORDS: Phrasebook = {
    "invitation": {
        "vi": "Mời Ông/Bà quét mã để đánh giá việc phục vụ tại quầy, chưa đến một phút.",
        "en": "Please scan the code to rate the service at this desk; it takes under a minute.",
    },
    "or_open": {"vi": "Hoặc mở địa chỉ:", "en": "Or open:"},
    "anonymous": {
        "vi": "Không cần cho biết tên hay số điện thoại.",
        "en": "No name or phone number needed.",
    },
}

PAGE_WIDTH = 210  # A4, millimetres
QR_SIZE = 130


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def poster_pdf(*, unit_name: str, desk_name: str, url: str, locale: str = "vi") -> bytes:
    from fpdf import FPDF  # imported when a poster is drawn: a second of the server's start

    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_title(_nfc(f"{unit_name} - {desk_name}"))
    pdf.set_auto_page_break(False)
    pdf.set_margins(15, 20, 15)
    family = add_fonts(pdf)
    pdf.add_page()
    width = PAGE_WIDTH - 30

    pdf.set_font(family, "B", 26)
    pdf.multi_cell(width, 12, _nfc(unit_name.upper()), align="C")
    pdf.ln(3)
    pdf.set_font(family, "B", 22)
    pdf.set_text_color(11, 92, 173)
    pdf.multi_cell(width, 11, _nfc(desk_name), align="C")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(6)

    image = io.BytesIO()
    segno.make(url, error="m").save(image, kind="png", scale=10, border=4)
    image.seek(0)
    pdf.image(image, x=(PAGE_WIDTH - QR_SIZE) / 2, y=pdf.get_y(), w=QR_SIZE, h=QR_SIZE)
    pdf.set_y(pdf.get_y() + QR_SIZE + 6)

    pdf.set_font(family, "B", 18)
    pdf.multi_cell(width, 9, _nfc(lookup(WORDS, "invitation", locale)), align="C")
    pdf.ln(3)
    pdf.set_font(family, "", 13)
    pdf.multi_cell(width, 7, _nfc(lookup(WORDS, "anonymous", locale)), align="C")
    pdf.ln(2)
    pdf.multi_cell(width, 7, _nfc(f"{lookup(WORDS, 'or_open', locale)} {url}"), align="C")
    return bytes(pdf.output())
