"""The one ranking rule of reports, digests, pages and desk reports."""

from __future__ import annotations

from collections.abc import Sequence


def positions(candidates: Sequence[tuple[str, bool, float | None]]) -> dict[str, int]:
    """Ranks by index (highest first, then code) of the (code, sufficient, value) candidates
    that are sufficient and have a value; the others have no rank."""
    rankable = sorted(
        ((code, value) for code, enough, value in candidates if enough and value is not None),
        key=lambda pair: (-pair[1], pair[0]),
    )
    return {code: position for position, (code, _) in enumerate(rankable, start=1)}
