"""Intervals and the sample-size rule against numbers worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from reports import sample
from reports.estimates import Estimate, change, combine, over_respondents, wilson
from reports.periods import parse_period
from storage.models import Unit

TODAY = datetime(2026, 12, 2, tzinfo=UTC).date()


def rounded(estimate: Estimate) -> tuple[float | None, float | None, float | None, int]:
    def r(x: float | None) -> float | None:
        return None if x is None else round(x, 1)

    return r(estimate.value), r(estimate.low), r(estimate.high), estimate.n


@pytest.mark.parametrize(
    ("satisfied", "n", "expected"),
    [
        (2, 4, (50.0, 15.0, 85.0, 4)),  # sipas.md worked example, criterion 3.1
        (1, 1, (100.0, 20.7, 100.0, 1)),
        (0, 10, (0.0, 0.0, 27.8, 10)),  # nobody satisfied: still an honest upper bound
        (45, 50, (90.0, 78.6, 95.7, 50)),
        (0, 0, (None, None, None, 0)),  # nobody answered: null, not zero
    ],
)
def test_wilson(satisfied: int, n: int, expected: tuple) -> None:  # type: ignore[type-arg]
    assert rounded(wilson(satisfied, n)) == expected


def test_interval_over_respondents() -> None:
    # Personal indices 100, 100, 91.67, 58.33: mean 87.5, sd 19.84, se 9.92.
    values = [100.0, 100.0, 91.0 + 2 / 3, 58.0 + 1 / 3]
    total, squares = sum(values), sum(v * v for v in values)
    assert rounded(over_respondents(90.0, 4, total, squares)) == (90.0, 70.6, 100.0, 4)
    assert rounded(over_respondents(90.0, 1, 90.0, 8100.0)) == (90.0, None, None, 1)
    assert rounded(over_respondents(None, 0, 0.0, 0.0)) == (None, None, None, 0)


def test_combination_weighs_parts_and_needs_every_standard_error() -> None:
    big = Estimate(70.0, 60.0, 80.0, 100, se=5.0)
    small = Estimate(50.0, 30.0, 70.0, 10, se=10.0)
    # (70 x 9 + 50 x 1) / 10 = 68; se = sqrt(0.81 x 25 + 0.01 x 100) = 4.61.
    assert rounded(combine([(9.0, big), (1.0, small)])) == (68.0, 59.0, 77.0, 110)
    no_se = Estimate(50.0, None, None, 1)
    assert rounded(combine([(9.0, big), (1.0, no_se)])) == (68.0, None, None, 101)
    assert combine([(1.0, Estimate(None, None, None, 0))]).value is None


def test_change_is_called_only_when_intervals_part() -> None:
    low, high = Estimate(40.0, 30.0, 50.0, 9), Estimate(70.0, 60.0, 80.0, 9)
    assert change(low, high) == "rise" and change(high, low) == "fall"
    assert change(low, Estimate(55.0, 45.0, 65.0, 9)) == "steady"
    assert change(Estimate(None, None, None, 0), high) is None


def unit(annual: int | None = None, quota: int | None = None) -> Unit:
    return Unit(code="X", name="X", annual_dossiers=annual, quota=quota)


@pytest.mark.parametrize(
    ("scope", "period", "required"),
    [
        ([unit(annual=10450)], "2026", 500),  # the table: 5,000+ dossiers -> 500 a year
        ([unit(annual=10450)], "2026-Q4", 127),  # 500 x 92 / 365 = 126.03, rounded up
        ([unit(annual=10450)], "2026-12", 43),
        ([unit(annual=10450)], "2026-W49", 30),  # 10 pro-rated, but at least 30
        ([unit(annual=40)], "2026-12", 30),  # every dossier (40) a year; 30 a month
        ([unit(annual=12)], "2026-12", 12),  # a tiny unit: at most its whole year
        ([unit(quota=60)], "2026", 60),
        ([unit()], "2026-12", 30),  # nothing known: the floor
        ([unit(), unit(annual=10450), unit(quota=60)], "2026", 560),  # a parent: the sum
    ],
)
def test_required_responses(scope: list[Unit], period: str, required: int) -> None:
    found = parse_period(period, today=TODAY)
    assert sample.required(scope, found) == required
    assert sample.sufficient(required, scope, found)
    assert not sample.sufficient(required - 1, scope, found)
