"""A Unicode font for PDFs, so Vietnamese diacritics print (the PDF core fonts are Latin-1).

matplotlib, already a dependency for charts, ships the DejaVu family; PDFs embed it from
there instead of the project carrying a second copy of the font files.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

FAMILY = "DejaVu"


@cache
def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def add_fonts(pdf: object) -> str:
    """Register regular and bold DejaVu Sans on an ``fpdf.FPDF`` and return the family name."""
    folder = font_dir()
    pdf.add_font(FAMILY, "", str(folder / "DejaVuSans.ttf"))  # type: ignore[attr-defined]
    pdf.add_font(FAMILY, "B", str(folder / "DejaVuSans-Bold.ttf"))  # type: ignore[attr-defined]
    return FAMILY
