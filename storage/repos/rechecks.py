"""Re-verification (phúc tra): a seeded, reproducible sample of counted responses with a
reserve list, the outcome of each call, and the share the calls confirmed.

The draw is ``random.Random(seed)`` over the counted responses sorted by id: the same seed and
population always give the same sample. A respondent who cannot be reached is replaced by the
next reserve in order, so the number of calls that reach someone stays close to the sample.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Dossier, RecheckDraw, RecheckItem, SurveyLink, SurveySession
from storage.repos import flags
from storage.repos.windows import DEFAULT_ZONE, utc_window

OUTCOMES = ("confirmed", "denied", "unreachable")
SAMPLE, RESERVE = "sample", "reserve"


@dataclass(frozen=True)
class Response:
    """A counted response as the draw and the call list see it."""

    id: int
    dossier: str
    phone: str | None
    completed_at: datetime
    channel: str


@dataclass(frozen=True)
class ItemView:
    item: RecheckItem
    response: Response


def sample_size(population: int, share: int) -> int:
    """ceil(population × share / 100), at least 1 when there is anyone to draw."""
    if population == 0:
        return 0
    return min(population, max(1, math.ceil(population * share / 100)))


def choose(ids: list[int], share: int, seed: int) -> tuple[list[int], list[int]]:
    """(sample, reserve) from ``ids``: the reserve is as long as the sample where possible."""
    ordered = sorted(ids)
    size = sample_size(len(ordered), share)
    picked = random.Random(seed).sample(ordered, min(len(ordered), 2 * size))
    return picked[:size], picked[size:]


def _responses():  # type: ignore[no-untyped-def]
    return (
        select(SurveySession, Dossier)
        .join(SurveyLink, SurveyLink.id == SurveySession.link_id)
        .join(Dossier, Dossier.id == SurveyLink.dossier_id)
    )


def _response(survey: SurveySession, dossier: Dossier) -> Response:
    assert survey.completed_at is not None
    return Response(survey.id, dossier.code, dossier.phone, survey.completed_at, survey.channel)


async def population(
    session: AsyncSession, unit_ids: list[int], start: date, end: date, zone: tzinfo
) -> list[Response]:
    """Counted completed responses of the units in the local period, sorted by id."""
    low, high = utc_window(start, end, zone)
    rows = await session.execute(
        _responses()
        .where(
            SurveySession.unit_id.in_(unit_ids),
            SurveySession.completed_at >= low,
            SurveySession.completed_at < high,
            flags.counted(),
        )
        .order_by(SurveySession.id)
    )
    return [_response(survey, dossier) for survey, dossier in rows]


@dataclass(frozen=True)
class DrawRequest:
    unit_id: int
    unit_ids: list[int]  # the unit and the units below it
    label: str
    start: date
    end: date
    share: int
    seed: int


async def draw(
    session: AsyncSession, request: DrawRequest, *, zone: tzinfo, now: datetime, by: str
) -> tuple[RecheckDraw, bool]:
    """Draw and store a sample; the same request over the same population returns the draw
    already stored (False) instead of a copy."""
    people = await population(session, request.unit_ids, request.start, request.end, zone)
    existing = await session.scalar(
        select(RecheckDraw)
        .where(
            RecheckDraw.unit_id == request.unit_id,
            RecheckDraw.period_start == request.start,
            RecheckDraw.period_end == request.end,
            RecheckDraw.share == request.share,
            RecheckDraw.seed == request.seed,
            RecheckDraw.population == len(people),
        )
        .order_by(RecheckDraw.id)
        .limit(1)
    )
    if existing is not None:
        return existing, False
    stored = RecheckDraw(
        unit_id=request.unit_id,
        period_label=request.label,
        period_start=request.start,
        period_end=request.end,
        share=request.share,
        seed=request.seed,
        population=len(people),
        drawn_at=now,
        drawn_by=by,
    )
    session.add(stored)
    await session.flush()
    sample, reserve = choose([p.id for p in people], request.share, request.seed)
    for role, ids in ((SAMPLE, sample), (RESERVE, reserve)):
        for position, session_id in enumerate(ids):
            session.add(
                RecheckItem(
                    draw_id=stored.id,
                    session_id=session_id,
                    role=role,
                    position=position,
                    called=role == SAMPLE,
                )
            )
    await session.flush()
    return stored, True


async def items(session: AsyncSession, draw_id: int) -> list[ItemView]:
    """The draw's items: the sample first, then the reserve, each in drawn order."""
    rows = await session.execute(
        select(RecheckItem, SurveySession, Dossier)
        .join(SurveySession, SurveySession.id == RecheckItem.session_id)
        .join(SurveyLink, SurveyLink.id == SurveySession.link_id)
        .join(Dossier, Dossier.id == SurveyLink.dossier_id)
        .where(RecheckItem.draw_id == draw_id)
        .order_by(RecheckItem.role.desc(), RecheckItem.position)
    )
    return [ItemView(item, _response(survey, dossier)) for item, survey, dossier in rows]


async def draws_for(session: AsyncSession, unit_ids: list[int]) -> list[RecheckDraw]:
    return list(
        await session.scalars(
            select(RecheckDraw)
            .where(RecheckDraw.unit_id.in_(unit_ids))
            .order_by(RecheckDraw.drawn_at.desc(), RecheckDraw.id.desc())
        )
    )


class OutcomeRefused(Exception):
    """The item is not on the call list, or its outcome is already recorded."""


async def record_outcome(
    session: AsyncSession, item_id: int, outcome: str, *, by: str, now: datetime
) -> RecheckItem | None:
    """Record a call's outcome. "denied" flags the response ``denied_on_recheck``;
    "unreachable" puts the next reserve on the call list and returns it (None otherwise)."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}")
    item = await session.get(RecheckItem, item_id, with_for_update=True)
    if item is None or not item.called or item.outcome is not None:
        raise OutcomeRefused(item_id)
    item.outcome, item.outcome_at, item.outcome_by = outcome, now, by
    await session.flush()
    if outcome == "denied":
        await flags.raise_flag(
            session,
            session_id=item.session_id,
            flag="denied_on_recheck",
            evidence={"draw": item.draw_id, "item": item.id, "by": by},
            now=now,
        )
    if outcome != "unreachable":
        return None
    reserve = await session.scalar(
        select(RecheckItem)
        .where(
            RecheckItem.draw_id == item.draw_id,
            RecheckItem.role == RESERVE,
            RecheckItem.called.is_(False),
        )
        .order_by(RecheckItem.position)
        .limit(1)
    )
    if reserve is not None:
        reserve.called, reserve.replaces_id = True, item.id
        await session.flush()
    return reserve


async def summary(
    session: AsyncSession,
    unit_ids: list[int],
    start: date,
    end: date,
    *,
    zone: tzinfo = DEFAULT_ZONE,
) -> dict[str, int | float | None]:
    """The calls about responses of the units completed in the local period, over every draw:
    ``drawn`` responses put on a call list, the latest outcome of each, and
    ``confirmed_share`` = confirmed ÷ (confirmed + denied) in % with one decimal (null when
    nobody was reached). An unreachable respondent neither confirms nor denies."""
    low, high = utc_window(start, end, zone)
    rows = await session.execute(
        select(RecheckItem.session_id, RecheckItem.outcome)
        .join(SurveySession, SurveySession.id == RecheckItem.session_id)
        .where(
            RecheckItem.called.is_(True),
            SurveySession.unit_id.in_(unit_ids),
            SurveySession.completed_at >= low,
            SurveySession.completed_at < high,
        )
        .order_by(RecheckItem.outcome_at.is_(None), RecheckItem.outcome_at, RecheckItem.id)
    )
    latest: dict[int, str | None] = {}
    for session_id, outcome in rows:
        if outcome is not None or session_id not in latest:
            latest[session_id] = outcome
    tally = {name: sum(1 for o in latest.values() if o == name) for name in OUTCOMES}
    reached = tally["confirmed"] + tally["denied"]
    share = round(100 * tally["confirmed"] / reached, 1) if reached else None
    return {"drawn": len(latest), **tally, "confirmed_share": share}
