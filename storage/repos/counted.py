"""Which completed responses count in the figures: the one place that decides it.

A response counts iff it has no flag, or every flag on it was reviewed with the decision
"keep"; ``storage.repos.flags`` keeps ``SurveySession.flagged`` true exactly while it does
not, and the flags themselves (``response_flags``) say why. Counters, recounts and reports
all ask here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ResponseFlag, SurveySession


def counted_clause() -> Any:
    """SQL condition on ``SurveySession``: a completed response that counts in figures."""
    return SurveySession.completed_at.is_not(None) & SurveySession.flagged.is_(False)


async def is_counted(session: AsyncSession, survey_session_id: int) -> bool:
    found = await session.scalar(
        select(func.count())
        .select_from(SurveySession)
        .where(SurveySession.id == survey_session_id, counted_clause())
    )
    return bool(found)


@dataclass(frozen=True)
class Excluded:
    """Completed responses left out of the figures: how many, and how many carry each flag
    (a response with two blocking flags is one response, counted under both flags)."""

    total: int
    by_flag: dict[str, int]


async def excluded(
    session: AsyncSession, unit_ids: Iterable[int], start: date, end: date
) -> Excluded:
    """The responses completed in [start, end] (local dates) that do not count now."""
    ids = list(unit_ids)
    in_period = (
        SurveySession.unit_id.in_(ids),
        SurveySession.completed_at.is_not(None),
        SurveySession.flagged.is_(True),
        SurveySession.completed_on.between(start, end),
    )
    total = await session.scalar(select(func.count()).select_from(SurveySession).where(*in_period))
    rows = await session.execute(
        select(ResponseFlag.flag, func.count(func.distinct(SurveySession.id)))
        .join(SurveySession, SurveySession.id == ResponseFlag.session_id)
        .where(
            *in_period,
            or_(ResponseFlag.decision.is_(None), ResponseFlag.decision != "keep"),
        )
        .group_by(ResponseFlag.flag)
    )
    return Excluded(int(total or 0), {str(flag): int(count) for flag, count in rows})
