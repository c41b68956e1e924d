"""Reading answer counts for spans with a question's usual levels pivoted into one row.

A scored question is answered on a small scale (0 "no opinion", then 1-5), so a unit's
week is about 110 rows of ``answer_period_counts`` (22 questions × 5 levels): turning rows
into Python objects is what a province's figures spent most on. Here the database sums
each (unit, version, date, question)'s levels 0-5 into one row of six columns, grouped in
the primary key's order (SQLite walks the key, no sort), and only the rare levels outside
that scale (a number, a multiple-choice mask) come as rows of their own, in a second read
made only when the first says there are some. The sums per span are added up here, in
integers, so the result is exactly what summing the rows would give.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import BigInteger, String, case, cast, func, not_, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncConnection

from storage.models import AnswerCount, AnswerPeriodCount
from storage.repos.spans import Source, Span, SpanOf, conditions, one_row_per_key, sources

LEVELS = (0, 1, 2, 3, 4, 5)  # the pivoted levels: "no opinion" and a five-point scale

# (span index, unit, flow version, question) -> level -> answers
Found = dict[tuple[int, int, int, str], Counter[int]]


def _key(source: Source) -> tuple[Any, list[Any]]:
    """The row's key date (as text: SQLite's ISO text, no date built per row) and the
    grouping in primary-key order."""
    table = source.table
    column = getattr(table, source.column)
    grouping = [table.unit_id, table.flow_version_id]
    if source.grain is not None:
        grouping.append(table.grain)
    return type_coerce(column, String), [*grouping, column, table.question_id]


def _sum(value: Any) -> Any:
    """A sum as a whole number on every database (PostgreSQL's sum of bigint is numeric)."""
    return cast(func.sum(value), BigInteger)


def _pivoted(source: Source, ids: Sequence[int], only_ranges: bool) -> Any:
    table = source.table
    at, grouping = _key(source)
    scale = table.level.between(LEVELS[0], LEVELS[-1])
    return (
        select(
            table.unit_id,
            at,
            table.flow_version_id,
            table.question_id,
            *(_sum(case((table.level == level, table.count), else_=0)) for level in LEVELS),
            _sum(case((scale, 0), else_=1)),
        )
        .where(*conditions(source, ids, only_ranges=only_ranges))
        .group_by(*grouping)
    )


def _others(source: Source, ids: Sequence[int], only_ranges: bool) -> Any:
    table = source.table
    at, _ = _key(source)
    scale = table.level.between(LEVELS[0], LEVELS[-1])
    return select(
        table.unit_id, at, table.flow_version_id, table.question_id, table.level, table.count
    ).where(*conditions(source, ids, only_ranges=only_ranges), not_(scale))


async def level_counts(
    connection: AsyncConnection, spans: Sequence[Span], group: list[int], ids: Sequence[int]
) -> Found:
    """Answers per level for each span of ``group`` (pairwise disjoint spans), unit, flow
    version and question; levels with no answers are left out, as are empty questions."""
    summed: dict[tuple[int, int, int, str], list[int]] = {}
    others: Found = {}
    # A trend's weeks (or months) are one row per key and follow each other: the range
    # from the first to the last is all they read. Otherwise rows between spans are left
    # out in SQL too.
    only_ranges = not all(one_row_per_key(spans[index]) for index in group)
    for source in sources((AnswerCount, AnswerPeriodCount), spans, group):
        span_of = SpanOf(source)
        outside = 0
        for unit_id, at, version, question, *scale, other in (
            await connection.execute(_pivoted(source, ids, only_ranges))
        ).all():
            span = span_of(at)
            if span is None:  # a date between two spans of the group
                continue
            outside += other
            key = (span, unit_id, version, question)
            found = summed.get(key)
            summed[key] = (
                scale if found is None else [a + b for a, b in zip(found, scale, strict=True)]
            )
        if not outside:
            continue
        for unit_id, at, version, question, level, count in (
            await connection.execute(_others(source, ids, only_ranges))
        ).all():
            span = span_of(at)
            if span is not None:
                found_levels = others.setdefault((span, unit_id, version, question), Counter())
                found_levels[level] += int(count)
    result: Found = {}
    for key in [*summed, *(key for key in others if key not in summed)]:
        levels: Counter[int] = Counter()
        for level, n in zip(LEVELS, summed.get(key, ()), strict=False):
            if n:
                levels[level] = n
        for level, n in others.get(key, {}).items():
            if n:  # a level's answers over the span, as the rows add up
                levels[level] = n
        if levels:
            result[key] = levels
    return result
