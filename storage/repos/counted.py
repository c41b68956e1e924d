"""Which completed responses count in the figures: the one place that decides it.

Today a response is left out when ``SurveySession.flagged`` is set (``flag_reason`` names
why). When the ``response_flags`` table lands, only ``counted_clause`` and
``excluded_by_flag`` change: a response counts iff it has no flag, or every flag on it was
reviewed with the decision "keep". Counters, recounts and reports all ask here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import SurveySession

UNNAMED_FLAG = "flagged"


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


async def excluded_by_flag(
    session: AsyncSession, unit_ids: Iterable[int], start: date, end: date
) -> dict[str, int]:
    """Completed responses left out of the figures, per flag, completed in [start, end]."""
    reason = func.coalesce(SurveySession.flag_reason, UNNAMED_FLAG)
    rows = await session.execute(
        select(reason, func.count())
        .where(
            SurveySession.unit_id.in_(list(unit_ids)),
            SurveySession.completed_at.is_not(None),
            SurveySession.flagged.is_(True),
            SurveySession.completed_on.between(start, end),
        )
        .group_by(reason)
    )
    return {str(flag): int(count) for flag, count in rows}
