"""The TrueType fonts PDFs embed so Vietnamese prints right (every diacritic, both tones and
vowel marks): DejaVu Sans, shipped inside matplotlib (already a dependency), so nothing is
downloaded and every machine has the same file. Shared by every PDF the product makes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import matplotlib

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"


class FontMissing(RuntimeError):
    """matplotlib's font directory lacks DejaVu Sans (a broken installation)."""


@cache
def font_path(name: str = REGULAR) -> Path:
    """The path of one of matplotlib's bundled DejaVu fonts."""
    path = Path(matplotlib.get_data_path(), "fonts", "ttf", name)
    if not path.is_file():
        raise FontMissing(f"{name} is not in {path.parent}: reinstall matplotlib")
    return path


def add_fonts(pdf: object) -> str:
    """Register the regular and bold faces on an ``fpdf.FPDF``; returns the family name."""
    pdf.add_font(FAMILY, "", str(font_path(REGULAR)))  # type: ignore[attr-defined]
    pdf.add_font(FAMILY, "B", str(font_path(BOLD)))  # type: ignore[attr-defined]
    return FAMILY
