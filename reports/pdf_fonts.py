"""The TrueType fonts PDFs embed so Vietnamese prints right (every diacritic, both tones and
vowel marks): DejaVu Sans, shipped inside matplotlib (already a dependency), so nothing is
downloaded and every machine has the same file. Shared by every PDF the product makes.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path

REGULAR = "DejaVuSans.ttf"
BOLD = "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"


class FontMissing(RuntimeError):
    """matplotlib's font directory lacks DejaVu Sans (a broken installation)."""


@cache
def font_path(name: str = REGULAR) -> Path:
    """The path of one of matplotlib's bundled DejaVu fonts."""
    path = _matplotlib_data() / "fonts" / "ttf" / name
    if not path.is_file():
        raise FontMissing(f"{name} is not in {path.parent}: reinstall matplotlib")
    return path


def _matplotlib_data() -> Path:
    """matplotlib's data folder, found without importing matplotlib (half a second that a
    server starting up, or a PDF without a chart, should not pay)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        raise FontMissing("matplotlib is not installed: reinstall the product's dependencies")
    return Path(next(iter(spec.submodule_search_locations)), "mpl-data")


def add_fonts(pdf: object) -> str:
    """Register the regular and bold faces on an ``fpdf.FPDF``; returns the family name."""
    pdf.add_font(FAMILY, "", str(font_path(REGULAR)))  # type: ignore[attr-defined]
    pdf.add_font(FAMILY, "B", str(font_path(BOLD)))  # type: ignore[attr-defined]
    return FAMILY
