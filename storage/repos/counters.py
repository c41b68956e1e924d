"""Counters kept when a response is counted, keyed by the LOCAL date it was completed, so that
any period (week, month, quarter, calendar year, range) is a sum of rows, never a re-scan of
answers. ``storage.repos.tallies`` reads them and rebuilds them from raw answers (``recount``).

Three tables, one multi-row upsert each per response, rows in primary-key order so that two
responses counted at once on PostgreSQL lock rows in the same order and never deadlock:

- ``answer_counts``: answers per (unit, flow version, day, question, level);
- ``respondent_sums``: per measure (``sipas`` and each factor id) the number of respondents
  with a personal index, its sum and its sum of squares (95 % intervals over respondents);
- ``unit_day_stats``: responses started and counted, comments and complaints per source.

Each has a period twin (``answer_period_counts``, ``respondent_period_sums``,
``unit_period_stats``) holding the same numbers per calendar month and per ISO week (keyed
by ``grain`` and the period's first local date), written right after it by the same call in
one multi-row upsert, so a period row is always the sum of its day rows and a long period
reads months and weeks instead of days. Every transaction writes the six tables in this one
order (day table, then its twin), each in key order: the lock order stays fixed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from flows.loader import parse_flow
from flows.model import Flow
from flows.scoring import distributions_from_responses, score
from storage.models import (
    AnswerCount,
    AnswerPeriodCount,
    Comment,
    RespondentPeriodSum,
    RespondentSum,
    SurveySession,
    UnitDayStat,
    UnitPeriodStat,
)
from storage.repos import flow_versions
from storage.repos.surveys import answers as answers_of
from storage.repos.upsert import dialect_of, insert_of

SIPAS = "sipas"  # the measure of the overall index in respondent_sums
DEFAULT_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")  # the product's default [locale] timezone
STAT_FIELDS = ("started", "completed", "comments", "complaints")

_parsed: dict[int, Flow] = {}


async def flow_of(session: AsyncSession, version_id: int) -> Flow:
    """The parsed flow of a version (versions are immutable: parsed once per process)."""
    if version_id not in _parsed:
        version = await flow_versions.get(session, version_id)
        if version is None:
            raise LookupError(f"flow version {version_id} does not exist")
        _parsed[version_id] = parse_flow(version.source, f"{version.flow_key} v{version.version}")
    return _parsed[version_id]


@dataclass(frozen=True)
class Personal:
    """One respondent's personal indices: ``sipas`` and each factor that has a value."""

    values: Mapping[str, float]


def personal_indices(flow: Flow, answers: Mapping[str, int]) -> Personal:
    """A respondent's own indices by the flow's rule: a factor's personal index is the share
    of their valid answers in it that are satisfied; their SIPAS is the flow's roll-up of
    those. Computed with ``flows.scoring`` so it follows whatever rule the flow declares.
    """
    scores = score(flow, distributions_from_responses([answers]))
    values = {f.factor_id: f.index for f in scores.factors if f.index is not None}
    if scores.overall is not None:
        values[SIPAS] = scores.overall
    return Personal(values)


def local_day(survey: SurveySession, zone: ZoneInfo | None = None) -> date:
    if survey.completed_on is not None:
        return survey.completed_on
    if survey.completed_at is None:
        raise ValueError(f"survey session {survey.id} is not completed")
    return survey.completed_at.astimezone(zone or DEFAULT_ZONE).date()


MONTH, WEEK = "month", "week"  # the grains of the period rows


def first_days(day: date) -> dict[str, date]:
    """The keys of ``day``'s period rows: the first date of its month and of its ISO week."""
    return {MONTH: day.replace(day=1), WEEK: day - timedelta(days=day.weekday())}


async def _upsert_both(
    session: AsyncSession,
    tables: tuple[Any, Any],
    keys: Sequence[str],
    rows: list[dict[str, Any]],
) -> None:
    """The day rows into the day table, then the same rows once per grain (``day``
    replaced by ``grain`` and the period's ``first_day``) into its period twin, in one
    statement each. ``keys`` is the day table's primary key in order; the twin's is the
    same with ``grain, first_day`` in place of ``day``."""
    day_table, period_table = tables
    await _upsert(session, day_table, keys, rows)
    periods = []
    for row in rows:
        kept = {name: value for name, value in row.items() if name != "day"}
        for grain, first in first_days(row["day"]).items():
            periods.append({**kept, "grain": grain, "first_day": first})
    twin_keys: list[str] = []
    for name in keys:
        twin_keys += ["grain", "first_day"] if name == "day" else [name]
    await _upsert(session, period_table, twin_keys, periods)


async def _upsert(
    session: AsyncSession, table: Any, keys: Sequence[str], rows: list[dict[str, Any]]
) -> None:
    """One INSERT ... ON CONFLICT adding the non-key columns, rows sorted by key (the
    table's primary-key order: ``unit_id`` first, then as the key names them)."""
    if not rows:
        return
    rows.sort(key=lambda row: tuple(row[k] for k in keys))
    added = tuple(name for name in rows[0] if name not in keys)
    statement = _upsert_statement(dialect_of(session), table.__table__, tuple(keys), added)
    await session.execute(statement, rows)


# The counter upserts, built once per (dialect, table, key, added columns) and run once per
# row (executemany, in key order): a multi-row VALUES statement was built and compiled anew
# for each completed response, a visible share of the bot's CPU per answer.
_UPSERTS: dict[tuple[str, str, tuple[str, ...], tuple[str, ...]], Any] = {}


def _upsert_statement(
    dialect: str, table: Any, keys: tuple[str, ...], added: tuple[str, ...]
) -> Any:
    found = _UPSERTS.get((dialect, table.name, keys, added))
    if found is None:
        statement = insert_of(dialect)(table)
        found = statement.on_conflict_do_update(
            index_elements=list(keys),
            set_={name: table.c[name] + statement.excluded[name] for name in added},
        )
        _UPSERTS[(dialect, table.name, keys, added)] = found
    return found


DESK_FORM = "desk"  # flows.model: the quick rating a desk's QR code opens


def source_of(flow: Flow, channel: str) -> str:
    """Where a completed response is counted from: its channel, or "desk" for a desk's quick
    rating, which is another survey than SIPAS and is kept apart in every figure."""
    return DESK_FORM if flow.form == DESK_FORM else channel


async def count_response(
    session: AsyncSession, survey_session_id: int, *, sign: int = 1, zone: ZoneInfo | None = None
) -> None:
    """Add one completed response to the counters (``sign=-1`` takes it back out).

    The caller decides whether the response counts (``storage.repos.counted``): completion
    calls this when it counts, raising a flag calls it with ``sign=-1``, keeping a flagged
    response calls it again with ``sign=1``. The day is the response's local completion
    date (``completed_on``; else ``completed_at`` in ``zone``).
    """
    if sign not in (1, -1):
        raise ValueError("sign is 1 (count) or -1 (take out)")
    survey = await session.get(SurveySession, survey_session_id)
    if survey is None:
        raise LookupError(f"survey session {survey_session_id} does not exist")
    day = local_day(survey, zone)
    survey.completed_on = day  # periods find the response by it (set once, never moved)
    answers = await answers_of(session, survey.id)
    flow = await flow_of(session, survey.flow_version_id)
    where = {"unit_id": survey.unit_id, "flow_version_id": survey.flow_version_id, "day": day}
    await _upsert_both(
        session,
        (AnswerCount, AnswerPeriodCount),
        ("unit_id", "flow_version_id", "day", "question_id", "level"),
        [{**where, "question_id": q, "level": v, "count": sign} for q, v in answers.items()],
    )
    personal = personal_indices(flow, answers).values
    await _upsert_both(
        session,
        (RespondentSum, RespondentPeriodSum),
        ("unit_id", "flow_version_id", "day", "measure"),
        [
            {**where, "measure": m, "n": sign, "total": sign * x, "squares": sign * x * x}
            for m, x in personal.items()
        ],
    )
    comments = list(
        await session.scalars(select(Comment.is_complaint).where(Comment.session_id == survey.id))
    )
    await _bump(
        session,
        survey.unit_id,
        day,
        source_of(flow, survey.channel),
        completed=sign,
        comments=sign * comments.count(False),
        complaints=sign * comments.count(True),
    )


async def started(session: AsyncSession, unit_id: int, day: date, source: str) -> None:
    """A response was started (opened and recorded) on ``day``, local date."""
    await _bump(session, unit_id, day, source, started=1)


async def _bump(session: AsyncSession, unit_id: int, day: date, source: str, **by: int) -> None:
    row = {"unit_id": unit_id, "day": day, "source": source}
    row.update({name: by.get(name, 0) for name in STAT_FIELDS})
    await _upsert_both(session, (UnitDayStat, UnitPeriodStat), ("unit_id", "day", "source"), [row])
