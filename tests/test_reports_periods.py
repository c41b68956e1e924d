"""Report periods: every kind parsed to inclusive local dates, clear errors, trends."""

from __future__ import annotations

from datetime import date

import pytest

from reports.periods import PeriodError, last_complete_month, parse_period, previous, trend_periods

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2026-W49", "2026-W49", date(2026, 11, 30), date(2026, 12, 6)),
        ("2026-W53", "2026-W53", date(2026, 12, 28), date(2027, 1, 3)),  # across the new year
        ("2026-12", "2026-12", date(2026, 12, 1), date(2026, 12, 31)),
        ("2024-02", "2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2026-q4", "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        ("2026", "2026", date(2026, 1, 1), date(2026, 12, 31)),  # the calendar year
        (
            "2026-10-01..2026-12-31",
            "2026-10-01..2026-12-31",
            date(2026, 10, 1),
            date(2026, 12, 31),
        ),
        ("", "2026-11", date(2026, 11, 1), date(2026, 11, 30)),  # last complete month
    ],
)
def test_every_kind_of_period(text: str, label: str, start: date, end: date) -> None:
    period = parse_period(text, today=TODAY)
    assert (period.label, period.start, period.end) == (label, start, end)


def test_a_year_is_not_52_weeks() -> None:
    assert parse_period("2026", today=TODAY).days == 365
    assert parse_period("2028", today=TODAY).days == 366


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2025-W53", "2025 has no ISO week 53"),
        ("2026-13", "a month is 01 to 12"),
        ("2026-Q5", "a quarter is Q1 to Q4"),
        ("2026-12-31..2026-10-01", "the range ends before it starts"),
        ("2026-02-30..2026-03-01", "day is out of range"),
        ("last month", "use one of 2026-W49, 2026-12, 2026-Q4, 2026"),
    ],
)
def test_bad_periods_are_explained(text: str, why: str) -> None:
    with pytest.raises(PeriodError, match=why):
        parse_period(text, today=TODAY)


def test_default_in_january_is_december_of_the_year_before() -> None:
    assert last_complete_month(date(2027, 1, 15)).label == "2026-12"


def test_trends_cover_12_weeks_12_months_4_quarters() -> None:
    weeks = trend_periods(parse_period("2027-W02", today=TODAY))
    assert [p.label for p in weeks][-4:] == ["2026-W52", "2026-W53", "2027-W01", "2027-W02"]
    assert len(weeks) == 12
    months = trend_periods(parse_period("2027-02", today=TODAY))
    assert [p.label for p in months][:2] == ["2026-03", "2026-04"] and len(months) == 12
    quarters = trend_periods(parse_period("2027-Q1", today=TODAY))
    assert [p.label for p in quarters] == ["2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1"]
    ranged = parse_period("2026-10-01..2026-10-10", today=TODAY)
    assert previous(ranged).label == "2026-09-21..2026-09-30"
    assert trend_periods(ranged) == [ranged]
