"""counters keyed by local date (any period is a sum), per-respondent sums for intervals

Replaces unit_counters / unit_week_stats (keyed by ISO week) with answer_counts,
respondent_sums and unit_day_stats keyed by the local completion date, and adds
survey_sessions.completed_on. The new counters are rebuilt from the raw answers of counted
responses (exact, whatever the old counters said). The local date uses the timezone of
SIPAS__LOCALE__TIMEZONE when set, else Asia/Ho_Chi_Minh (the product's default).

Revision ID: stats01
Revises: multiproc01
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision = "stats01"
down_revision = "multiproc01"
branch_labels = None
depends_on = None


def _zone() -> ZoneInfo:
    return ZoneInfo(os.environ.get("SIPAS__LOCALE__TIMEZONE", "Asia/Ho_Chi_Minh"))


def _local(moment: datetime, zone: ZoneInfo) -> date:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone).date()


def _keyed(name: str, *columns: Any, keys: list[str]) -> None:
    op.create_table(
        name,
        sa.Column("unit_id", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f(f"fk_{name}_unit_id_units")),
        sa.PrimaryKeyConstraint(*keys, name=op.f(f"pk_{name}")),
    )


def _version_fk(name: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["flow_version_id"],
        ["flow_versions.id"],
        name=op.f(f"fk_{name}_flow_version_id_flow_versions"),
    )


def _create_tables() -> None:
    _keyed(
        "answer_counts",
        sa.Column("flow_version_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("question_id", sa.String(length=32), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        _version_fk("answer_counts"),
        keys=["unit_id", "flow_version_id", "day", "question_id", "level"],
    )
    _keyed(
        "respondent_sums",
        sa.Column("flow_version_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("squares", sa.Float(), nullable=False),
        _version_fk("respondent_sums"),
        keys=["unit_id", "flow_version_id", "day", "measure"],
    )
    _keyed(
        "unit_day_stats",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("started", sa.BigInteger(), nullable=False),
        sa.Column("completed", sa.BigInteger(), nullable=False),
        sa.Column("comments", sa.BigInteger(), nullable=False),
        sa.Column("complaints", sa.BigInteger(), nullable=False),
        keys=["unit_id", "day", "source"],
    )


def _rebuild(bind: Any, zone: ZoneInfo) -> None:
    """Fill completed_on and the new counters from the raw sessions, answers and comments."""
    from flows.loader import parse_flow
    from storage.repos.counters import personal_indices

    sessions = sa.table(
        "survey_sessions",
        sa.column("id"),
        sa.column("unit_id"),
        sa.column("flow_version_id"),
        sa.column("channel"),
        sa.column("started_at", sa.DateTime()),
        sa.column("completed_at", sa.DateTime()),
        sa.column("completed_on", sa.Date()),
        sa.column("flagged", sa.Boolean()),
    )
    rows = list(bind.execute(sa.select(sessions)).mappings())
    answers: dict[int, dict[str, int]] = defaultdict(dict)
    for session_id, question, value in bind.execute(
        sa.text("SELECT session_id, question_id, value FROM answers")
    ):
        answers[session_id][question] = value
    kinds: dict[int, list[bool]] = defaultdict(list)
    for session_id, is_complaint in bind.execute(
        sa.text("SELECT session_id, is_complaint FROM comments WHERE session_id IS NOT NULL")
    ):
        kinds[session_id].append(bool(is_complaint))
    flows = {
        version_id: parse_flow(source, f"flow version {version_id}")
        for version_id, source in bind.execute(sa.text("SELECT id, source FROM flow_versions"))
    }
    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    sums: dict[tuple[Any, ...], list[float]] = defaultdict(lambda: [0, 0.0, 0.0])
    stats: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        stats[(row["unit_id"], _local(row["started_at"], zone), row["channel"])][0] += 1
        if row["completed_at"] is None:
            continue
        day = _local(row["completed_at"], zone)
        bind.execute(sessions.update().where(sessions.c.id == row["id"]).values(completed_on=day))
        if row["flagged"]:
            continue
        where = (row["unit_id"], row["flow_version_id"], day)
        given = answers.get(row["id"], {})
        for question, value in given.items():
            counts[(*where, question, value)] += 1
        for measure, x in personal_indices(flows[row["flow_version_id"]], given).values.items():
            found = sums[(*where, measure)]
            found[0] += 1
            found[1] += x
            found[2] += x * x
        stat = stats[(row["unit_id"], day, row["channel"])]
        stat[1] += 1
        stat[2] += kinds[row["id"]].count(False)
        stat[3] += kinds[row["id"]].count(True)
    names = ("unit_id", "flow_version_id", "day")
    _insert(
        "answer_counts",
        [(*k, v) for k, v in counts.items()],
        (*names, "question_id", "level", "count"),
    )
    _insert(
        "respondent_sums",
        [(*k, *v) for k, v in sums.items()],
        (*names, "measure", "n", "total", "squares"),
    )
    _insert(
        "unit_day_stats",
        [(*k, *v) for k, v in stats.items()],
        ("unit_id", "day", "source", "started", "completed", "comments", "complaints"),
    )


def _insert(name: str, rows: list[tuple[Any, ...]], columns: tuple[str, ...]) -> None:
    if rows:
        table = sa.table(name, *(sa.column(c) for c in columns))
        op.bulk_insert(table, [dict(zip(columns, row, strict=True)) for row in rows])


def upgrade() -> None:
    # Plain ALTERs (no batch copy on SQLite: answers and comments reference this table).
    op.add_column("survey_sessions", sa.Column("completed_on", sa.Date(), nullable=True))
    op.create_index(op.f("ix_survey_sessions_completed_on"), "survey_sessions", ["completed_on"])
    _create_tables()
    _rebuild(op.get_bind(), _zone())
    op.drop_table("unit_counters")
    op.drop_table("unit_week_stats")


def downgrade() -> None:
    """Back to ISO-week counters, summed from the day counters (local dates are kept)."""
    op.create_table(
        "unit_counters",
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column(
            "flow_version_id", sa.Integer(), sa.ForeignKey("flow_versions.id"), nullable=False
        ),
        sa.Column("iso_week", sa.String(length=8), nullable=False),
        sa.Column("question_id", sa.String(length=32), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint(
            "unit_id",
            "flow_version_id",
            "iso_week",
            "question_id",
            "level",
            name=op.f("pk_unit_counters"),
        ),
    )
    op.create_table(
        "unit_week_stats",
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id"), nullable=False),
        sa.Column("iso_week", sa.String(length=8), nullable=False),
        *(
            sa.Column(name, sa.BigInteger(), nullable=False)
            for name in ("started", "completed", "comments", "complaints", "flagged")
        ),
        sa.PrimaryKeyConstraint("unit_id", "iso_week", name=op.f("pk_unit_week_stats")),
    )
    bind = op.get_bind()

    def week(day: date) -> str:
        year, number, _ = day.isocalendar()
        return f"{year}-W{number:02d}"

    counts: dict[tuple[Any, ...], int] = defaultdict(int)
    for unit_id, version, day, question, level, count in bind.execute(
        sa.text(
            "SELECT unit_id, flow_version_id, day, question_id, level, count FROM answer_counts"
        )
    ):
        counts[(unit_id, version, week(_as_date(day)), question, level)] += count
    stats: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for unit_id, day, *values in bind.execute(
        sa.text("SELECT unit_id, day, started, completed, comments, complaints FROM unit_day_stats")
    ):
        found = stats[(unit_id, week(_as_date(day)))]
        for i, value in enumerate(values):
            found[i] += value
    _insert(
        "unit_counters",
        [(*k, v) for k, v in counts.items()],
        ("unit_id", "flow_version_id", "iso_week", "question_id", "level", "count"),
    )
    _insert(
        "unit_week_stats",
        [(*k, *v) for k, v in stats.items()],
        ("unit_id", "iso_week", "started", "completed", "comments", "complaints", "flagged"),
    )
    op.drop_table("unit_day_stats")
    op.drop_table("respondent_sums")
    op.drop_table("answer_counts")
    op.drop_index(op.f("ix_survey_sessions_completed_on"), table_name="survey_sessions")
    op.drop_column("survey_sessions", "completed_on")  # SQLite 3.35+ drops a column in place


def _as_date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
