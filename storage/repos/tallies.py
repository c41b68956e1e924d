"""Reading the counters for a set of units and a span of local dates, and ``recount``, which
computes the same tallies from raw answers so that a test (and ``digest --check``) can prove
the two agree.

A read costs one grouped query per table whatever the number of responses; results come per
unit so that reports can combine children by volume instead of pooling their answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Answer, AnswerCount, Comment, RespondentSum, SurveySession, UnitDayStat
from storage.repos.counted import counted_clause
from storage.repos.counters import STAT_FIELDS, flow_of, personal_indices, source_of


@dataclass
class Sums:
    """Respondents with a personal index on a measure, their sum and sum of squares."""

    n: int = 0
    total: float = 0.0
    squares: float = 0.0

    def add(self, n: int, total: float, squares: float) -> None:
        self.n += n
        self.total += total
        self.squares += squares


@dataclass
class Tally:
    """Counted figures of one unit (or a merge of several) over a span of days."""

    # flow version -> question -> level -> answers
    distributions: dict[int, dict[str, Counter[int]]] = field(default_factory=dict)
    # flow version -> measure ("sipas" or a factor id) -> sums over respondents
    sums: dict[int, dict[str, Sums]] = field(default_factory=dict)
    stats: Counter[str] = field(default_factory=Counter)
    by_source: Counter[str] = field(default_factory=Counter)  # counted responses

    def for_version(self, version_id: int) -> dict[str, Counter[int]]:
        return self.distributions.get(version_id, {})

    def add_answers(self, version: int, question: str, level: int, count: int) -> None:
        if count:
            per_version = self.distributions.setdefault(version, {})
            per_version.setdefault(question, Counter())[level] += count

    def add_sums(self, version: int, measure: str, n: int, total: float, squares: float) -> None:
        if n:
            self.sums.setdefault(version, {}).setdefault(measure, Sums()).add(n, total, squares)

    def merge(self, other: Tally) -> None:
        for version, questions in other.distributions.items():
            for question, levels in questions.items():
                for level, count in levels.items():
                    self.add_answers(version, question, level, count)
        for version, measures in other.sums.items():
            for measure, s in measures.items():
                self.add_sums(version, measure, s.n, s.total, s.squares)
        self.stats.update(other.stats)
        self.by_source.update(other.by_source)

    def respondents(self) -> Counter[int]:
        """Counted respondents per flow version (those with an overall personal index)."""
        return Counter({v: m["sipas"].n for v, m in self.sums.items() if "sipas" in m})


def merged(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for part in tallies:
        total.merge(part)
    return total


async def tally(
    session: AsyncSession, unit_ids: Iterable[int], start: date, end: date
) -> dict[int, Tally]:
    """Counters of each unit in ``unit_ids`` for local dates ``start``..``end`` (inclusive)."""
    ids = list(unit_ids)
    result = {unit_id: Tally() for unit_id in ids}
    answers = await session.execute(
        select(
            AnswerCount.unit_id,
            AnswerCount.flow_version_id,
            AnswerCount.question_id,
            AnswerCount.level,
            func.sum(AnswerCount.count),
        )
        .where(AnswerCount.unit_id.in_(ids), AnswerCount.day.between(start, end))
        .group_by(
            AnswerCount.unit_id,
            AnswerCount.flow_version_id,
            AnswerCount.question_id,
            AnswerCount.level,
        )
    )
    for unit_id, version, question, level, count in answers:
        result[unit_id].add_answers(version, question, level, int(count or 0))
    sums = await session.execute(
        select(
            RespondentSum.unit_id,
            RespondentSum.flow_version_id,
            RespondentSum.measure,
            func.sum(RespondentSum.n),
            func.sum(RespondentSum.total),
            func.sum(RespondentSum.squares),
        )
        .where(RespondentSum.unit_id.in_(ids), RespondentSum.day.between(start, end))
        .group_by(RespondentSum.unit_id, RespondentSum.flow_version_id, RespondentSum.measure)
    )
    for unit_id, version, measure, n, total, squares in sums:
        result[unit_id].add_sums(version, measure, int(n or 0), total or 0.0, squares or 0.0)
    stats = await session.execute(
        select(
            UnitDayStat.unit_id,
            UnitDayStat.source,
            *(func.sum(getattr(UnitDayStat, name)) for name in STAT_FIELDS),
        )
        .where(UnitDayStat.unit_id.in_(ids), UnitDayStat.day.between(start, end))
        .group_by(UnitDayStat.unit_id, UnitDayStat.source)
    )
    for unit_id, source, *values in stats:
        found = result[unit_id]
        for name, value in zip(STAT_FIELDS, values, strict=True):
            found.stats[name] += int(value or 0)
        if values[1]:
            found.by_source[source] += int(values[1])
    return result


async def recount(
    session: AsyncSession, unit_ids: Iterable[int], start: date, end: date
) -> dict[int, Tally]:
    """The same tallies as ``tally`` computed from raw responses (verification; ``started``
    is not recounted: it is kept when a response opens, whatever becomes of it).
    """
    ids = list(unit_ids)
    result = {unit_id: Tally() for unit_id in ids}
    sessions = list(
        await session.execute(
            select(
                SurveySession.id,
                SurveySession.unit_id,
                SurveySession.flow_version_id,
                SurveySession.channel,
            )
            .where(
                SurveySession.unit_id.in_(ids),
                SurveySession.completed_on.between(start, end),
                counted_clause(),
            )
            .order_by(SurveySession.id)
        )
    )
    answers: dict[int, dict[str, int]] = {row.id: {} for row in sessions}
    rows = await session.execute(
        select(Answer.session_id, Answer.question_id, Answer.value).where(
            Answer.session_id.in_(list(answers))
        )
    )
    for session_id, question, value in rows:
        answers[session_id][question] = value
    comments = await session.execute(
        select(Comment.session_id, Comment.is_complaint).where(
            Comment.session_id.in_(list(answers))
        )
    )
    kinds: dict[int, list[bool]] = {}
    for session_id, is_complaint in comments:
        kinds.setdefault(session_id, []).append(bool(is_complaint))
    for row in sessions:
        found = result[row.unit_id]
        given = answers[row.id]
        for question, value in given.items():
            found.add_answers(row.flow_version_id, question, value, 1)
        flow = await flow_of(session, row.flow_version_id)
        for measure, x in personal_indices(flow, given).values.items():
            found.add_sums(row.flow_version_id, measure, 1, x, x * x)
        found.stats["completed"] += 1
        found.by_source[source_of(flow, row.channel)] += 1
        found.stats["comments"] += kinds.get(row.id, []).count(False)
        found.stats["complaints"] += kinds.get(row.id, []).count(True)
    return result
