"""Indices with their precision: a value, a 95 % interval over respondents and n.

Methods (docs/statistics.md explains them to staff):

- a criterion's index is a proportion of respondents (satisfied / valid answers); its interval
  is Wilson's score interval, which stays inside 0-100 % and behaves for small n;
- a factor's index and SIPAS follow the flow's rule (mean of criterion indices, mean of factor
  indices); their interval is value ± 1.96 × s / √n, where s is the standard deviation of the
  respondents' personal indices (each respondent's own share of satisfied answers, rolled up
  by the same rule), clipped to 0-100 %; with fewer than two respondents there is no interval;
- a parent unit combines its parts (children) with weights w: value = Σ w·v / Σ w and
  standard error = √(Σ (w/W)² · se²); without every part's standard error, no interval.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

Z = 1.959964  # the normal quantile of a two-sided 95 % interval


@dataclass(frozen=True)
class Estimate:
    value: float | None
    low: float | None
    high: float | None
    n: int
    se: float | None = None  # standard error in percentage points, for combining

    def as_json(self) -> dict[str, float | None]:
        return {"value": _round(self.value), "low": _round(self.low), "high": _round(self.high)}

    def overlaps(self, other: Estimate) -> bool:
        """Whether two intervals overlap (also True when either has none: no claim)."""
        if None in (self.low, self.high, other.low, other.high):
            return True
        return not (self.high < other.low or other.high < self.low)  # type: ignore[operator]


NOTHING = Estimate(None, None, None, 0)


def _round(value: float | None, decimals: int = 1) -> float | None:
    return None if value is None else round(value + 0.0, decimals)


def _clip(value: float) -> float:
    return min(100.0, max(0.0, value))


def wilson(satisfied: int, n: int) -> Estimate:
    """A proportion of ``n`` people, as a percentage with Wilson's 95 % interval."""
    if n <= 0:
        return NOTHING
    p = satisfied / n
    denominator = 1 + Z * Z / n
    centre = (p + Z * Z / (2 * n)) / denominator
    half = Z * math.sqrt(p * (1 - p) / n + Z * Z / (4 * n * n)) / denominator
    se = 100.0 * math.sqrt(p * (1 - p) / n)
    return Estimate(
        100.0 * p, _clip(100.0 * (centre - half)), _clip(100.0 * (centre + half)), n, se
    )


def over_respondents(value: float | None, n: int, total: float, squares: float) -> Estimate:
    """``value`` (by the flow's rule) with the spread of ``n`` personal indices whose sum is
    ``total`` and sum of squares ``squares``."""
    if value is None or n <= 0:
        return Estimate(value, None, None, max(n, 0))
    if n < 2:
        return Estimate(value, None, None, n)
    variance = max(0.0, (squares - total * total / n) / (n - 1))
    se = math.sqrt(variance / n)
    return Estimate(value, _clip(value - Z * se), _clip(value + Z * se), n, se)


def combine(parts: Sequence[tuple[float, Estimate]]) -> Estimate:
    """Weighted combination of parts' estimates (parts without a value are left out)."""
    valued = [(w, e) for w, e in parts if e.value is not None and w > 0]
    n = sum(e.n for _, e in parts)
    if not valued:
        return Estimate(None, None, None, n)
    weight = sum(w for w, _ in valued)
    value = sum(w * e.value for w, e in valued) / weight  # type: ignore[operator]
    if any(e.se is None for _, e in valued):
        return Estimate(value, None, None, n)
    se = math.sqrt(sum((w / weight) ** 2 * e.se**2 for w, e in valued))  # type: ignore[operator]
    return Estimate(value, _clip(value - Z * se), _clip(value + Z * se), n, se)


def weighted_mean(parts: Sequence[tuple[float, float | None]]) -> float | None:
    valued = [(w, v) for w, v in parts if v is not None and w > 0]
    if not valued:
        return None
    return sum(w * v for w, v in valued) / sum(w for w, _ in valued)  # type: ignore[operator]


def change(before: Estimate, after: Estimate) -> str | None:
    """rise / fall only when the 95 % intervals do not overlap; null without both values."""
    if before.value is None or after.value is None:
        return None
    if after.overlaps(before):
        return "steady"
    return "rise" if after.value > before.value else "fall"
