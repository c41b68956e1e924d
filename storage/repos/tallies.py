"""Reading the counters for a set of units and spans of local dates, and ``recount``, which
computes the same tallies from raw answers so that a test (and ``digest --check``) can prove
the two agree.

A read costs a few queries per table whatever the number of responses, and reads month
and ISO-week rows for the whole months and weeks of a span and day rows only for what is
left at its edges (``storage.repos.spans``), so a year is 12 rows per key rather than 365
and a week is one; answer counts come with a question's levels in one row
(``storage.repos.level_counts``). Results come per unit so that reports can combine
children by volume instead of pooling answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import String, case, func, literal_column, select, type_coerce, union_all
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from storage.models import (
    Answer,
    AnswerCount,
    AnswerPeriodCount,
    Comment,
    RespondentPeriodSum,
    RespondentSum,
    SurveySession,
    UnitDayStat,
    UnitPeriodStat,
)
from storage.repos.counted import counted_clause
from storage.repos.counters import STAT_FIELDS, flow_of, personal_indices, source_of
from storage.repos.level_counts import Found, level_counts
from storage.repos.spans import (
    Pieces,
    Source,
    Span,
    conditions,
    layers,
    one_row_per_key,
    pieces,
    sources,
)

__all__ = [
    "Pieces",
    "Span",
    "Sums",
    "Tally",
    "merged",
    "pieces",
    "recount",
    "recount_spans",
    "tally",
    "tally_spans",
]


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


class _Query:
    """The read of one counter table for a group of spans, and how to tell the span of each
    row it returns (``lookup`` of its ``span`` column): a span index computed in SQL, or,
    when every span is one row per key (a trend's weeks or months), the row's own date."""

    def __init__(
        self,
        tables: tuple[Any, Any],
        spans: Sequence[Span],
        group: list[int],
        ids: list[int],
        keys: Sequence[str],
        summed: Sequence[str],
    ) -> None:
        found = sources(tables, spans, group)
        self.by_date = len(found) == 1 and all(one_row_per_key(spans[i]) for i in group)
        # span column value -> span index: the index itself, or (by date) the row's date
        # as ISO text and as a date (PostgreSQL's driver returns dates).
        self.lookup: dict[Any, int] = {}
        for source in found:
            for index, (first, _) in source.ranges:
                if self.by_date:
                    self.lookup[first.isoformat()] = self.lookup[first] = index
                else:
                    self.lookup[index] = index
        parts = [self._part(source, ids, keys, summed, len(group)) for source in found]
        if self.by_date:
            # Each key has one row per span: sorting them to group would return the same
            # rows; the caller adds up whatever it gets.
            self.statement: Any = parts[0]
            return
        rows = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
        grouping = [rows.c.unit_id, rows.c.span, *(rows.c[k] for k in keys)]
        self.statement = select(*grouping, *(func.sum(rows.c[n]) for n in summed)).group_by(
            *grouping
        )

    def _part(
        self, source: Source, ids: list[int], keys: Sequence[str], summed: Sequence[str], size: int
    ) -> Any:
        table = source.table
        column = getattr(table, source.column)
        if self.by_date:
            span: Any = type_coerce(column, String)  # SQLite's ISO text, no date per row
        elif size == 1:
            span = literal_column(str(source.ranges[0][0]))
        else:
            span = case(*((column.between(*r), literal_column(str(i))) for i, r in source.ranges))
        where = conditions(source, ids, only_ranges=not self.by_date)
        return select(
            table.unit_id.label("unit_id"),
            span.label("span"),
            *(getattr(table, k).label(k) for k in keys),
            *(getattr(table, name).label(name) for name in summed),
        ).where(*where)


# Unit-spans from which the pivoted read pays: below, its longer statement costs more to
# build and run than the rows it saves (one commune's week, one commune's 12-week trend).
PIVOT_FROM = 100


async def _grouped_levels(
    connection: AsyncConnection, spans: Sequence[Span], group: list[int], ids: list[int]
) -> Found:
    """Answers per (span, unit, version, question) and level, summed in SQL."""
    query = _Query(
        (AnswerCount, AnswerPeriodCount),
        spans,
        group,
        ids,
        ("flow_version_id", "question_id", "level"),
        ("count",),
    )
    collected: dict[tuple[int, int, int, str], dict[int, int]] = {}
    for unit_id, at, version, question, level, count in (
        await connection.execute(query.statement)
    ).all():
        span = query.lookup.get(at)
        if count and span is not None:
            key = (span, unit_id, version, question)
            levels = collected.get(key)
            if levels is None:
                levels = collected[key] = {}
            levels[level] = int(count)
    return {key: Counter(levels) for key, levels in collected.items()}


async def tally_spans(
    session: AsyncSession, unit_ids: Iterable[int], spans: Sequence[Span]
) -> list[dict[int, Tally]]:
    """Counters of each unit for each span of local dates (inclusive), in ``spans``' order.

    Disjoint spans (a trend's weeks) share one grouped query per counter table; a span reads
    its whole months and weeks from the period rows and only the other days from day rows.
    """
    ids = list(unit_ids)
    result = [{unit_id: Tally() for unit_id in ids} for _ in spans]
    if not ids:
        return result
    # Plain Core rows: the ORM's per-row processing is a visible cost at a province's size.
    connection = await session.connection()
    for group in layers(spans):
        if len(ids) * len(group) >= PIVOT_FROM and all(
            one_row_per_key(spans[index]) for index in group
        ):
            # A province's trend: a question's levels 0-5 come in one row per unit and
            # week, grouped in the key's order (``level_counts``).
            found = await level_counts(connection, spans, group, ids)
        else:
            # A few units' rows, or spans of many rows per key (a year to date, which the
            # database adds up per level: a sort, but a few rows per key to read here).
            found = await _grouped_levels(connection, spans, group, ids)
        for (span, unit_id, version, question), levels in found.items():
            result[span][unit_id].distributions.setdefault(version, {})[question] = levels
        query = _Query(
            (RespondentSum, RespondentPeriodSum),
            spans,
            group,
            ids,
            ("flow_version_id", "measure"),
            ("n", "total", "squares"),
        )
        for unit_id, at, version, measure, n, total, squares in (
            await connection.execute(query.statement)
        ).all():
            span = query.lookup.get(at)
            if span is not None:
                result[span][unit_id].add_sums(
                    version, measure, int(n or 0), total or 0.0, squares or 0.0
                )
        query = _Query((UnitDayStat, UnitPeriodStat), spans, group, ids, ("source",), STAT_FIELDS)
        for unit_id, at, source, *values in (await connection.execute(query.statement)).all():
            span = query.lookup.get(at)
            if span is None:
                continue
            found = result[span][unit_id]
            for name, value in zip(STAT_FIELDS, values, strict=True):
                found.stats[name] += int(value or 0)
            if values[1]:
                found.by_source[source] += int(values[1])
    return result


async def tally(
    session: AsyncSession, unit_ids: Iterable[int], start: date, end: date
) -> dict[int, Tally]:
    """Counters of each unit in ``unit_ids`` for local dates ``start``..``end`` (inclusive)."""
    return (await tally_spans(session, unit_ids, [(start, end)]))[0]


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


async def recount_spans(
    session: AsyncSession, unit_ids: Iterable[int], spans: Sequence[Span]
) -> list[dict[int, Tally]]:
    """``recount`` of each span, in the shape of ``tally_spans``."""
    ids = list(unit_ids)
    return [await recount(session, ids, start, end) for start, end in spans]
