"""Reading the counters for a set of units and spans of local dates, and ``recount``, which
computes the same tallies from raw answers so that a test (and ``digest --check``) can prove
the two agree.

A read costs one grouped query per table whatever the number of responses, and reads month
rows for the whole months of a span and day rows only for its partial months, so a year is
12 rows per key rather than 365; results come per unit so that reports can combine children
by volume instead of pooling their answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import case, func, literal_column, or_, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Answer,
    AnswerCount,
    AnswerMonthCount,
    Comment,
    FlowVersion,
    RespondentMonthSum,
    RespondentSum,
    SurveySession,
    UnitDayStat,
    UnitMonthStat,
)
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


Span = tuple[date, date]  # inclusive local dates


@dataclass(frozen=True)
class Pieces:
    """A span cut into what the counters hold: whole months (read from the month rows)
    and the days of a partial month at either edge (read from the day rows)."""

    months: Span | None  # first days of the first and last whole month
    days: tuple[Span, ...]


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def pieces(start: date, end: date) -> Pieces:
    """``start``..``end`` as whole months plus edge days (a span inside one month, or
    shorter than one, is days only)."""
    first = start if start.day == 1 else _next_month(start.replace(day=1))
    after = _next_month(end.replace(day=1))  # the first day after end's month
    last = end.replace(day=1) if end == after - timedelta(days=1) else _month_before(end)
    if first > last:
        return Pieces(None, ((start, end),))
    days = []
    if start < first:
        days.append((start, first - timedelta(days=1)))
    if _next_month(last) <= end:
        days.append((_next_month(last), end))
    return Pieces((first, last), tuple(days))


def _month_before(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def _layers(spans: Sequence[Span]) -> list[list[int]]:
    """The spans' indices in groups of pairwise disjoint spans (a row of the counters then
    belongs to at most one span of a group, so a group is one grouped query)."""
    layers: list[list[int]] = []
    for index, (start, _) in sorted(enumerate(spans), key=lambda item: item[1]):
        for layer in layers:
            if spans[layer[-1]][1] < start:
                layer.append(index)
                break
        else:
            layers.append([index])
    return layers


@dataclass(frozen=True)
class _Source:
    """One counter table read for a group of spans: its key column and date ranges."""

    table: Any
    column: str  # "day" or "month"
    ranges: list[tuple[int, Span]]  # (span index, inclusive range of keys)


def _sources(tables: tuple[Any, Any], spans: Sequence[Span], group: list[int]) -> list[_Source]:
    day_table, month_table = tables
    days: list[tuple[int, Span]] = []
    months: list[tuple[int, Span]] = []
    for index in group:
        cut = pieces(*spans[index])
        days += [(index, piece) for piece in cut.days]
        if cut.months is not None:
            months.append((index, cut.months))
    found = [_Source(day_table, "day", days)] if days else []
    if months:
        found.append(_Source(month_table, "month", months))
    return found


def _grouped(
    tables: tuple[Any, Any],
    spans: Sequence[Span],
    group: list[int],
    ids: list[int],
    keys: Sequence[str],
    summed: Sequence[str],
) -> Any:
    """One query: for each unit and span of ``group`` the sums of ``summed`` per ``keys``,
    whole months from the month table and edge days from the day table (UNION ALL)."""
    parts = []
    for source in _sources(tables, spans, group):
        table = source.table
        column = getattr(table, source.column)
        bucket = case(*((column.between(*r), literal_column(str(i))) for i, r in source.ranges))
        low = min(r[0] for _, r in source.ranges)
        high = max(r[1] for _, r in source.ranges)
        where = [table.unit_id.in_(ids), column.between(low, high)]
        if len(source.ranges) > 1:  # gaps between the spans: rows there belong to none
            where.append(or_(*(column.between(*r) for _, r in source.ranges)))
        if hasattr(table, "flow_version_id"):
            # The key is (unit, version, date, ...): naming the versions lets the database
            # seek each unit's and version's dates instead of scanning all of a unit's rows.
            where.append(table.flow_version_id.in_(select(FlowVersion.id)))
        parts.append(
            select(
                table.unit_id.label("unit_id"),
                bucket.label("span"),
                *(getattr(table, k).label(k) for k in keys),
                *(getattr(table, name).label(name) for name in summed),
            ).where(*where)
        )
    rows = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    grouping = [rows.c.unit_id, rows.c.span, *(rows.c[k] for k in keys)]
    return select(*grouping, *(func.sum(rows.c[name]) for name in summed)).group_by(*grouping)


async def tally_spans(
    session: AsyncSession, unit_ids: Iterable[int], spans: Sequence[Span]
) -> list[dict[int, Tally]]:
    """Counters of each unit for each span of local dates (inclusive), in ``spans``' order.

    Disjoint spans (a trend's weeks) share one grouped query per counter table; a span reads
    its whole months from the month rows and only its partial months' days from day rows.
    """
    ids = list(unit_ids)
    result = [{unit_id: Tally() for unit_id in ids} for _ in spans]
    if not ids:
        return result
    for group in _layers(spans):
        answers = await session.execute(
            _grouped(
                (AnswerCount, AnswerMonthCount),
                spans,
                group,
                ids,
                ("flow_version_id", "question_id", "level"),
                ("count",),
            )
        )
        for unit_id, span, version, question, level, count in answers:
            if count:
                per_version = result[span][unit_id].distributions.setdefault(version, {})
                levels = per_version.get(question)
                if levels is None:
                    levels = per_version[question] = Counter()
                levels[level] += int(count)
        sums = await session.execute(
            _grouped(
                (RespondentSum, RespondentMonthSum),
                spans,
                group,
                ids,
                ("flow_version_id", "measure"),
                ("n", "total", "squares"),
            )
        )
        for unit_id, span, version, measure, n, total, squares in sums:
            result[span][unit_id].add_sums(
                version, measure, int(n or 0), total or 0.0, squares or 0.0
            )
        stats = await session.execute(
            _grouped((UnitDayStat, UnitMonthStat), spans, group, ids, ("source",), STAT_FIELDS)
        )
        for unit_id, span, source, *values in stats:
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
