"""Spans of local dates as the counters hold them: a span cut into whole months (month
rows), whole ISO weeks (week rows) and the days left over (day rows), spans grouped so
that each group is one read, and which table and key range each group reads.

Pure date arithmetic apart from naming the tables: the readers (``storage.repos.tallies``,
``storage.repos.level_counts``) build their queries from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import or_, select

from storage.models import FlowVersion
from storage.repos.counters import MONTH, WEEK

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


def layers(spans: Sequence[Span]) -> list[list[int]]:
    """The spans' indices in groups of pairwise disjoint spans (a row of the counters then
    belongs to at most one span of a group, so a group is one grouped query)."""
    found: list[list[int]] = []
    for index, (start, _) in sorted(enumerate(spans), key=lambda item: item[1]):
        for layer in found:
            if spans[layer[-1]][1] < start:
                layer.append(index)
                break
        else:
            found.append([index])
    return found


@dataclass(frozen=True)
class Source:
    """One counter table read for a group of spans: the day table, or its period twin at
    one grain, with the date ranges of each span's pieces."""

    table: Any
    column: str  # "day", or "first_day" of the period rows
    grain: str | None  # the period rows' grain; None for the day table
    ranges: list[tuple[int, Span]]  # (span index, inclusive range of keys)


def sources(tables: tuple[Any, Any], spans: Sequence[Span], group: list[int]) -> list[Source]:
    """What a group of disjoint spans reads of a (day table, period twin) pair: day rows
    for the days, week rows for whole weeks, month rows for whole months."""
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
    found = [Source(day_table, "day", None, days)] if days else []
    for grain, ranges in ((WEEK, weeks), (MONTH, months)):
        if ranges:
            found.append(Source(period_table, "first_day", grain, ranges))
    return found


def one_row_per_key(span: Span) -> bool:
    """Whether ``span`` is exactly one row per key: one day, one ISO week or one month."""
    cut = pieces(*span)
    if cut.months is not None:
        return cut.months[0] == cut.months[1] and not cut.weeks and not cut.days
    if cut.weeks:
        return cut.weeks == ((cut.weeks[0][0], cut.weeks[0][0]),) and not cut.days
    return len(cut.days) == 1 and cut.days[0][0] == cut.days[0][1]


def conditions(source: Source, ids: Sequence[int], *, only_ranges: bool = True) -> list[Any]:
    """The WHERE of a read of ``source``: the units, the grain, and the keys from the first
    range's start to the last one's end; ``only_ranges`` leaves out the rows between the
    ranges too (which belong to no span)."""
    table = source.table
    column = getattr(table, source.column)
    where = [table.unit_id.in_(list(ids))]
    if hasattr(table, "flow_version_id"):
        # The key is (unit, version, [grain,] date, ...): naming the versions lets the
        # database seek each unit's and version's dates instead of scanning all its rows.
        where.append(table.flow_version_id.in_(select(FlowVersion.id)))
    if source.grain is not None:
        where.append(table.grain == source.grain)
    low = min(r[0] for _, r in source.ranges)
    high = max(r[1] for _, r in source.ranges)
    where.append(column.between(low, high))
    if only_ranges and len(source.ranges) > 1:
        where.append(or_(*(column.between(*r) for _, r in source.ranges)))
    return where


class SpanOf:
    """The span a row of ``source`` belongs to, from its key date (ISO text on SQLite, a
    date on PostgreSQL): worked out once per distinct date, then a dictionary look-up."""

    def __init__(self, source: Source) -> None:
        self.ranges = source.ranges
        self.known: dict[Any, int | None] = {}

    def __call__(self, key: Any) -> int | None:
        found = self.known.get(key, -1)
        if found != -1:
            return found
        day = key if isinstance(key, date) else date.fromisoformat(str(key))
        span = next((index for index, (a, b) in self.ranges if a <= day <= b), None)
        self.known[key] = span
        return span
