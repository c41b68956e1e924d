"""How many counted responses a unit needs before its index may be ranked (sipas.md).

The year's minimum is the seed's table by annual dossiers (under 100: every dossier;
100-999: 100; 1,000-4,999: 200; 5,000+: 500) or the unit's quota; a parent needs the sum of
its units' minima. A period needs that minimum pro-rated to its length in days (a month of
a 500-form year: 43), but never fewer than ``FLOOR`` responses, because an index from a
handful of people is noise; a unit whose whole year's minimum is below the floor needs that
minimum. A unit with neither annual dossiers nor a quota needs ``FLOOR``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from reports.periods import Period
from storage.models import Unit
from storage.repos.units import minimum_sample

FLOOR = 30
DAYS_PER_YEAR = 365


def annual_minimum(scope: Sequence[Unit]) -> int | None:
    known = [
        m for m in (minimum_sample(u.annual_dossiers, u.quota) for u in scope) if m is not None
    ]
    return sum(known) if known else None


def required(scope: Sequence[Unit], period: Period) -> int:
    """Counted responses the units of ``scope`` together need in ``period``."""
    annual = annual_minimum(scope)
    if annual is None:
        return FLOOR
    prorated = math.ceil(annual * period.days / DAYS_PER_YEAR)
    return max(prorated, min(FLOOR, annual))


def sufficient(counted: int, scope: Sequence[Unit], period: Period) -> bool:
    return counted >= required(scope, period) and counted > 0
