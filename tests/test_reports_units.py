"""Pure parts of reports: number formats, ISO weeks, the chart."""

from __future__ import annotations

from datetime import date

import pytest

from reports.chart import factor_chart
from reports.formatting import change, day, number, percent
from reports.weeks import parse_week, shift, year_weeks


def test_vietnamese_and_english_numbers() -> None:
    assert percent(87.4) == "87,4 %"
    assert percent(87.4, "en") == "87.4%"
    assert percent(None) == "—"
    assert number(10450) == "10.450"
    assert number(10450, locale="en") == "10,450"
    assert number(1234.5, 2) == "1.234,50"
    assert change(2.54) == "+2,5"
    assert change(-1.0) == "−1,0"
    assert change(0.01) == "±0,0"
    assert day(date(2026, 11, 24)) == "24/11/2026"


def test_weeks() -> None:
    assert parse_week("2026-W48") == (2026, 48)
    for bad in ("2026-48", "2026-W54", "W48", "2026-W00"):
        with pytest.raises(ValueError, match="ISO week"):
            parse_week(bad)
    assert shift("2026-W01", -1) == "2025-W52"
    assert shift("2026-W53", 1) == "2027-W01"  # 2026 has 53 ISO weeks
    assert year_weeks("2026-W03") == ["2026-W01", "2026-W02", "2026-W03"]


def test_chart_is_a_png() -> None:
    png = factor_chart(
        ["F1", "F2", "F3", "F4", "F5"],
        [80.0, 75.0, None, 90.0, 60.0],
        [70.0, 75.0, 75.0, None, 65.0],
        title="Chỉ số các yếu tố",
        legend=("Tuần này", "Tuần trước"),
    )
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 5000
