"""The pivoted read of answer counts (``storage.repos.level_counts``): whatever the rows hold
(levels on the 0-5 scale, numbers and multiple-choice masks beside them, zero and negative
counts left by flags and reviews), every span's tallies equal the plain sum of its day rows,
worked out here in Python from the rows themselves, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from scheduler.clock import ManualClock
from storage.db import Database
from storage.models import AnswerCount, AnswerPeriodCount
from storage.repos import flow_versions, tallies, units
from storage.repos.counters import first_days
from storage.repos.level_counts import level_counts

FIRST = date(2026, 10, 20)
DAYS = 90  # rows fall on 20 October 2026 .. 17 January 2027
# Overlapping and disjoint spans: single days, ISO weeks, months, weeks across a month's end,
# a span with days, weeks and whole months, and days where nothing was answered.
SPANS: list[tallies.Span] = [
    (date(2026, 11, 1), date(2026, 12, 31)),
    (date(2026, 11, 20), date(2026, 12, 3)),
    (date(2026, 11, 23), date(2026, 11, 29)),
    (date(2026, 11, 30), date(2026, 12, 6)),
    (date(2026, 12, 7), date(2026, 12, 13)),
    (date(2026, 11, 24), date(2026, 11, 24)),
    (date(2026, 10, 15), date(2027, 1, 10)),
    (date(2027, 1, 1), date(2027, 1, 31)),
    (date(2026, 10, 1), date(2026, 10, 19)),
]
# A trend's spans: one row per key each, read pivoted in the key's order.
WEEKS = [(date(2026, 10, 19) + timedelta(weeks=n), date(2026, 10, 25) + timedelta(weeks=n))
         for n in range(12)]  # fmt: skip
MONTHS = [
    (date(2026, 10, 1), date(2026, 10, 31)),
    (date(2026, 11, 1), date(2026, 11, 30)),
    (date(2026, 12, 1), date(2026, 12, 31)),
    (date(2027, 1, 1), date(2027, 1, 31)),
]
DAYS_APART = [(date(2026, 11, 2), date(2026, 11, 2)), (date(2026, 11, 5), date(2026, 11, 5))]
QUESTIONS = ["1.1", "2.4", "5.2", "Q7", "Q9"]
LEVELS = [0, 1, 2, 3, 4, 5, 6, 7, 12, 40, 255, 1000]  # the scale, then numbers and masks

rows_strategy = st.lists(
    st.tuples(
        st.integers(0, 1),  # unit
        st.integers(0, 1),  # flow version
        st.integers(0, DAYS - 1),  # day
        st.sampled_from(QUESTIONS),
        st.sampled_from(LEVELS),
        st.integers(-2, 6),  # count: flags and reviews leave zeros and take-outs
    ),
    max_size=60,
    unique_by=lambda row: row[:5],
)


def expected(
    rows: list[tuple[int, int, date, str, int, int]], span: tallies.Span
) -> dict[tuple[int, int, str], dict[int, int]]:
    """(unit, version, question) -> level -> answers: the day rows of ``span`` added up,
    zero sums and empty questions left out."""
    summed: dict[tuple[int, int, str], Counter[int]] = {}
    for unit, version, day, question, level, count in rows:
        if span[0] <= day <= span[1]:
            summed.setdefault((unit, version, question), Counter())[level] += count
    found = {key: {k: n for k, n in levels.items() if n} for key, levels in summed.items()}
    return {key: levels for key, levels in found.items() if levels}


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(drawn=rows_strategy)
async def test_pivoted_reads_equal_the_sum_of_day_rows(
    database: Database, clock: ManualClock, drawn: list[tuple[int, int, int, str, int, int]]
) -> None:
    async with database.transaction() as session:
        unit_ids = []
        for code in ("XA-LC-A", "XA-LC-B"):
            unit = await units.by_code(session, code) or await units.add(
                session, code, code, now=clock()
            )
            unit_ids.append(unit.id)
        versions = []
        for key in ("mau01", "qd1001"):
            version = await flow_versions.latest(session, key)
            assert version is not None
            versions.append(version.id)
        await session.execute(delete(AnswerCount))
        await session.execute(delete(AnswerPeriodCount))
        rows = [
            (unit_ids[u], versions[v], FIRST + timedelta(days=d), q, level, count)
            for u, v, d, q, level, count in drawn
        ]
        periods: Counter[tuple[int, int, str, date, str, int]] = Counter()
        for unit_id, version_id, day, question, level, count in rows:
            for grain, first in first_days(day).items():
                periods[unit_id, version_id, grain, first, question, level] += count
        if rows:
            await session.execute(
                insert(AnswerCount),
                [
                    {"unit_id": u, "flow_version_id": v, "day": d, "question_id": q,
                     "level": level, "count": n}
                    for u, v, d, q, level, n in rows
                ],
            )  # fmt: skip
            await session.execute(
                insert(AnswerPeriodCount),
                [
                    {"unit_id": u, "flow_version_id": v, "grain": g, "first_day": f,
                     "question_id": q, "level": level, "count": n}
                    for (u, v, g, f, q, level), n in periods.items()
                ],
            )  # fmt: skip
        wanted = [SPANS, WEEKS, MONTHS, DAYS_APART]
        found = [await tallies.tally_spans(session, unit_ids, spans) for spans in wanted]
        # The pivoted read itself, whatever the number of units from which tally_spans
        # takes it: spans of one row per key.
        connection = await session.connection()
        pivoted = [
            await level_counts(connection, spans, list(range(len(spans))), unit_ids)
            for spans in wanted[1:]
        ]
    for span, tallied in zip(
        [s for spans in wanted for s in spans], [t for ts in found for t in ts], strict=True
    ):
        read = {
            (unit_id, version, question): dict(levels)
            for unit_id, tally in tallied.items()
            for version, questions in tally.distributions.items()
            for question, levels in questions.items()
        }
        assert read == expected(rows, span), span
    for spans, levels in zip(wanted[1:], pivoted, strict=True):
        for index, span in enumerate(spans):
            read = {
                (unit_id, version, question): dict(counts)
                for (at, unit_id, version, question), counts in levels.items()
                if at == index
            }
            assert read == expected(rows, span), span
