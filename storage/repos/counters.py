"""Per-unit counters maintained when a response completes, so digests never scan answers.

``recount`` rebuilds the same figures from raw answers; the two must always agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Answer, Comment, SurveySession, UnitCounter, UnitWeekStat
from storage.repos.upsert import insert_for

STAT_FIELDS = ("started", "completed", "comments", "complaints", "flagged")


async def add_answers(
    session: AsyncSession,
    *,
    unit_id: int,
    flow_version_id: int,
    iso_week: str,
    answers: Mapping[str, int],
    sign: int = 1,
) -> None:
    """Count one completed response's answers (``sign=-1`` takes them back out)."""
    for question_id, level in answers.items():
        statement = insert_for(session, UnitCounter).values(
            unit_id=unit_id,
            flow_version_id=flow_version_id,
            iso_week=iso_week,
            question_id=question_id,
            level=level,
            count=sign,
        )
        statement = statement.on_conflict_do_update(
            index_elements=["unit_id", "flow_version_id", "iso_week", "question_id", "level"],
            set_={"count": UnitCounter.count + sign},
        )
        await session.execute(statement)


async def bump(session: AsyncSession, unit_id: int, iso_week: str, stat: str, by: int = 1) -> None:
    if stat not in STAT_FIELDS:
        raise ValueError(f"unknown statistic {stat!r}")
    column = getattr(UnitWeekStat, stat)
    statement = insert_for(session, UnitWeekStat).values(
        unit_id=unit_id,
        iso_week=iso_week,
        **{name: (by if name == stat else 0) for name in STAT_FIELDS},
    )
    statement = statement.on_conflict_do_update(
        index_elements=["unit_id", "iso_week"], set_={stat: column + by}
    )
    await session.execute(statement)


@dataclass
class Tally:
    """Figures for a set of units and weeks: per flow version, question -> level counts."""

    distributions: dict[int, dict[str, Counter[int]]] = field(default_factory=dict)
    stats: Counter[str] = field(default_factory=Counter)

    def for_version(self, version_id: int) -> dict[str, Counter[int]]:
        return self.distributions.get(version_id, {})


async def tally(session: AsyncSession, unit_ids: Iterable[int], weeks: Iterable[str]) -> Tally:
    """Read counters for the given units and ISO weeks (cost independent of response count)."""
    unit_ids, weeks = list(unit_ids), list(weeks)
    result = Tally()
    rows = await session.execute(
        select(
            UnitCounter.flow_version_id,
            UnitCounter.question_id,
            UnitCounter.level,
            func.sum(UnitCounter.count),
        )
        .where(UnitCounter.unit_id.in_(unit_ids), UnitCounter.iso_week.in_(weeks))
        .group_by(UnitCounter.flow_version_id, UnitCounter.question_id, UnitCounter.level)
    )
    for version_id, question_id, level, count in rows:
        if count:
            per_version = result.distributions.setdefault(version_id, {})
            per_version.setdefault(question_id, Counter())[level] += int(count)
    stat_rows = await session.execute(
        select(*(func.sum(getattr(UnitWeekStat, name)) for name in STAT_FIELDS)).where(
            UnitWeekStat.unit_id.in_(unit_ids), UnitWeekStat.iso_week.in_(weeks)
        )
    )
    for name, value in zip(STAT_FIELDS, stat_rows.one(), strict=True):
        result.stats[name] = int(value or 0)
    return result


async def recount(session: AsyncSession, unit_ids: Iterable[int], weeks: Iterable[str]) -> Tally:
    """The same figures as ``tally`` computed from raw sessions and answers (verification)."""
    unit_ids, weeks = list(unit_ids), list(weeks)
    result = Tally()
    rows = await session.execute(
        select(SurveySession.flow_version_id, Answer.question_id, Answer.value, func.count())
        .join(Answer, Answer.session_id == SurveySession.id)
        .where(
            SurveySession.unit_id.in_(unit_ids),
            SurveySession.completed_week.in_(weeks),
            SurveySession.flagged.is_(False),
        )
        .group_by(SurveySession.flow_version_id, Answer.question_id, Answer.value)
    )
    for version_id, question_id, level, count in rows:
        per_version = result.distributions.setdefault(version_id, {})
        per_version.setdefault(question_id, Counter())[level] += int(count)
    completed = await session.scalar(
        select(func.count())
        .select_from(SurveySession)
        .where(
            SurveySession.unit_id.in_(unit_ids),
            SurveySession.completed_week.in_(weeks),
            SurveySession.flagged.is_(False),
        )
    )
    result.stats["completed"] = int(completed or 0)
    for is_complaint, name in ((False, "comments"), (True, "complaints")):
        count = await session.scalar(
            select(func.count())
            .select_from(Comment)
            .join(SurveySession, SurveySession.id == Comment.session_id)
            .where(
                Comment.unit_id.in_(unit_ids),
                Comment.is_complaint.is_(is_complaint),
                SurveySession.completed_week.in_(weeks),
            )
        )
        result.stats[name] = int(count or 0)
    return result
