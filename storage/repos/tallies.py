"""Reading the counters for a set of units and spans of local dates, and ``recount``, which
computes the same tallies from raw answers so that a test (and ``digest --check``) can prove
the two agree.

A read costs one grouped query per table whatever the number of responses, and reads month
and ISO-week rows for the whole months and weeks of a span and day rows only for what is
left at its edges, so a year is 12 rows per key rather than 365 and a week is one; results
come per unit so that reports can combine children by volume instead of pooling answers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import String, case, func, literal_column, or_, select, type_coerce, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Answer,
    AnswerCount,
    AnswerPeriodCount,
    Comment,
    FlowVersion,
    RespondentPeriodSum,
    RespondentSum,
    SurveySession,
    UnitDayStat,
    UnitPeriodStat,
)
from storage.repos.counted import counted_clause
from storage.repos.counters import (
    MONTH,
    STAT_FIELDS,
    WEEK,
    flow_of,
    personal_indices,
    source_of,
)


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
    """A span cut into what the counters hold: whole months (month rows), then whole ISO
    weeks in what is left at either edge (week rows), then the remaining days (day rows)."""

    months: Span | None  # first days of the first and last whole month
    weeks: tuple[Span, ...]  # Mondays of the first and last whole week, per edge
    days: tuple[Span, ...]


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _month_before(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def _whole_months(start: date, end: date) -> tuple[Span | None, list[Span]]:
    """The whole months inside ``start``..``end`` and the edges left over."""
    first = start if start.day == 1 else _next_month(start.replace(day=1))
    last_day_of_month = _next_month(end.replace(day=1)) - timedelta(days=1)
    last = end.replace(day=1) if end == last_day_of_month else _month_before(end)
    if first > last:
        return None, [(start, end)]
    edges = []
    if start < first:
        edges.append((start, first - timedelta(days=1)))
    if _next_month(last) <= end:
        edges.append((_next_month(last), end))
    return (first, last), edges


def _whole_weeks(start: date, end: date) -> tuple[Span | None, list[Span]]:
    """The whole ISO weeks (Monday to Sunday) inside ``start``..``end`` and the days left."""
    first = start + timedelta(days=-start.weekday() % 7)  # the first Monday on or after
    last = end - timedelta(days=(end.weekday() + 1) % 7) - timedelta(days=6)  # last Monday
    if first > last:
        return None, [(start, end)]
    edges = []
    if start < first:
        edges.append((start, first - timedelta(days=1)))
    if last + timedelta(days=6) < end:
        edges.append((last + timedelta(days=7), end))
    return (first, last), edges


def pieces(start: date, end: date) -> Pieces:
    """``start``..``end`` as whole months, then whole weeks, then days: each day of the
    span in exactly one piece, and as few rows read as these grains allow."""
    months, edges = _whole_months(start, end)
    weeks: list[Span] = []
    days: list[Span] = []
    for edge in edges:
        found, rest = _whole_weeks(*edge)
        if found is not None:
            weeks.append(found)
        days += rest
    return Pieces(months, tuple(weeks), tuple(days))


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
    """One counter table read for a group of spans: the day table, or its period twin at
    one grain, with the date ranges of each span's pieces."""

    table: Any
    column: str  # "day", or "first_day" of the period rows
    grain: str | None  # the period rows' grain; None for the day table
    ranges: list[tuple[int, Span]]  # (span index, inclusive range of keys)


def _sources(tables: tuple[Any, Any], spans: Sequence[Span], group: list[int]) -> list[_Source]:
    day_table, period_table = tables
    days: list[tuple[int, Span]] = []
    weeks: list[tuple[int, Span]] = []
    months: list[tuple[int, Span]] = []
    for index in group:
        cut = pieces(*spans[index])
        days += [(index, piece) for piece in cut.days]
        weeks += [(index, piece) for piece in cut.weeks]
        if cut.months is not None:
            months.append((index, cut.months))
    found = [_Source(day_table, "day", None, days)] if days else []
    for grain, ranges in ((WEEK, weeks), (MONTH, months)):
        if ranges:
            found.append(_Source(period_table, "first_day", grain, ranges))
    return found


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
        sources = _sources(tables, spans, group)
        self.by_date = len(sources) == 1 and all(_one_row_per_key(spans[i]) for i in group)
        # span column value -> span index: the index itself, or (by date) the row's date
        # as ISO text and as a date (PostgreSQL's driver returns dates).
        self.lookup: dict[Any, int] = {}
        for source in sources:
            for index, (first, _) in source.ranges:
                if self.by_date:
                    self.lookup[first.isoformat()] = self.lookup[first] = index
                else:
                    self.lookup[index] = index
        parts = [self._part(source, ids, keys, summed, len(group)) for source in sources]
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
        self, source: _Source, ids: list[int], keys: Sequence[str], summed: Sequence[str], size: int
    ) -> Any:
        table = source.table
        column = getattr(table, source.column)
        if self.by_date:
            span: Any = type_coerce(column, String)  # SQLite's ISO text, no date per row
        elif size == 1:
            span = literal_column(str(source.ranges[0][0]))
        else:
            span = case(*((column.between(*r), literal_column(str(i))) for i, r in source.ranges))
        where = [table.unit_id.in_(ids)]
        if hasattr(table, "flow_version_id"):
            # The key is (unit, version, [grain,] date, ...): naming the versions lets the
            # database seek each unit's and version's dates instead of scanning all its rows.
            where.append(table.flow_version_id.in_(select(FlowVersion.id)))
        if source.grain is not None:
            where.append(table.grain == source.grain)
        where.append(column.between(source.ranges[0][1][0], source.ranges[0][1][1]))
        if len(source.ranges) > 1:
            low = min(r[0] for _, r in source.ranges)
            high = max(r[1] for _, r in source.ranges)
            where[-1] = column.between(low, high)
            if not self.by_date:  # rows between the spans belong to none
                where.append(or_(*(column.between(*r) for _, r in source.ranges)))
        return select(
            table.unit_id.label("unit_id"),
            span.label("span"),
            *(getattr(table, k).label(k) for k in keys),
            *(getattr(table, name).label(name) for name in summed),
        ).where(*where)


def _one_row_per_key(span: Span) -> bool:
    """Whether ``span`` is exactly one row per key: one day, one ISO week or one month."""
    cut = pieces(*span)
    if cut.months is not None:
        return cut.months[0] == cut.months[1] and not cut.weeks and not cut.days
    if cut.weeks:
        return cut.weeks == ((cut.weeks[0][0], cut.weeks[0][0]),) and not cut.days
    return len(cut.days) == 1 and cut.days[0][0] == cut.days[0][1]


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
    for group in _layers(spans):
        query = _Query(
            (AnswerCount, AnswerPeriodCount),
            spans,
            group,
            ids,
            ("flow_version_id", "question_id", "level"),
            ("count",),
        )
        # A row per (span, unit, version, question, level) whichever the query's shape:
        # levels are collected per question first, then handed to the tallies.
        collected: dict[tuple[Any, int, int, str], dict[int, int]] = {}
        for unit_id, at, version, question, level, count in (
            await connection.execute(query.statement)
        ).all():
            if count:
                key = (at, unit_id, version, question)
                levels = collected.get(key)
                if levels is None:
                    levels = collected[key] = {}
                levels[level] = int(count)
        for (at, unit_id, version, question), levels in collected.items():
            span = query.lookup.get(at)
            if span is not None:
                found = result[span][unit_id].distributions.setdefault(version, {})
                found[question] = Counter(levels)
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
