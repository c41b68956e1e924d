"""Numbers, percentages and dates the way a Vietnamese reader expects them (``87,4 %``,
``10.450``, ``24/11/2026``), with an English variant (``87.4%``, ``10,450``).
"""

from __future__ import annotations

from datetime import date, datetime


def number(value: float, decimals: int = 0, locale: str = "vi") -> str:
    text = f"{value:,.{decimals}f}"  # 10,450.5
    if locale == "vi":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def percent(value: float | None, locale: str = "vi", decimals: int = 1) -> str:
    """``87,4 %`` (Vietnamese puts a space before the sign), ``87.4%`` in English."""
    if value is None:
        return "—"
    shown = number(value, decimals, locale)
    return f"{shown} %" if locale == "vi" else f"{shown}%"


def change(delta: float | None, locale: str = "vi") -> str:
    """A change in percentage points with its sign: ``+2,5``, ``−1,0``, ``±0,0``."""
    if delta is None:
        return "—"
    rounded = round(delta, 1)
    if rounded == 0:
        return "±" + number(0, 1, locale)
    sign = "+" if rounded > 0 else "−"
    return sign + number(abs(rounded), 1, locale)


def day(moment: date | datetime) -> str:
    """``24/11/2026`` (the same order in both locales, as on Vietnamese documents)."""
    return f"{moment.day:02d}/{moment.month:02d}/{moment.year}"
