"""week and month rows beside the day rows: answer_period_counts, respondent_period_sums,
unit_period_stats

A year read 364 day rows per key and a 12-week trend 84; with period rows they read 12 (plus
the days of a partial period at either edge). Each new table has its day table's shape with
``grain`` ("month" or "week", an ISO week from Monday) and ``first_day`` (the period's first
local date) in place of ``day``, and is filled here from the day rows by one INSERT ...
SELECT ... GROUP BY per grain, so it starts equal to the sum of its days.

Revision ID: month01
Revises: desks01
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "month01"
down_revision = "desks01"
branch_labels = None
depends_on = None

# period table -> (day table, key columns besides unit_id and the date, summed columns)
TABLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "answer_period_counts": (
        "answer_counts",
        ("flow_version_id", "question_id", "level"),
        ("count",),
    ),
    "respondent_period_sums": (
        "respondent_sums",
        ("flow_version_id", "measure"),
        ("n", "total", "squares"),
    ),
    "unit_period_stats": (
        "unit_day_stats",
        ("source",),
        ("started", "completed", "comments", "complaints"),
    ),
}


def _keyed(name: str, *columns: Any, keys: list[str]) -> None:
    op.create_table(
        name,
        sa.Column("unit_id", sa.Integer(), nullable=False),
        *columns,
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f(f"fk_{name}_unit_id_units")),
        sa.PrimaryKeyConstraint(*keys, name=op.f(f"pk_{name}")),
        sqlite_with_rowid=False,  # SQLite stores the rows in key order (no rowid look-up)
    )


def _version(name: str) -> list[Any]:
    return [
        sa.Column("flow_version_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["flow_version_id"],
            ["flow_versions.id"],
            name=op.f(f"fk_{name}_flow_version_id_flow_versions"),
        ),
    ]


def _period() -> list[sa.Column[Any]]:
    return [
        sa.Column("grain", sa.String(length=8), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
    ]


def _create_tables() -> None:
    _keyed(
        "answer_period_counts",
        *_version("answer_period_counts"),
        *_period(),
        sa.Column("question_id", sa.String(length=32), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        keys=["unit_id", "flow_version_id", "grain", "first_day", "question_id", "level"],
    )
    _keyed(
        "respondent_period_sums",
        *_version("respondent_period_sums"),
        *_period(),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("squares", sa.Float(), nullable=False),
        keys=["unit_id", "flow_version_id", "grain", "first_day", "measure"],
    )
    _keyed(
        "unit_period_stats",
        *_period(),
        sa.Column("source", sa.String(length=16), nullable=False),
        *(
            sa.Column(name, sa.BigInteger(), nullable=False)
            for name in ("started", "completed", "comments", "complaints")
        ),
        keys=["unit_id", "grain", "first_day", "source"],
    )


def _first_day(dialect: str, grain: str) -> str:
    """SQL for the first day of ``day``'s month or ISO week (SQLite keeps dates as ISO
    text; strftime('%w') is 0 on Sunday, so Monday is (%w + 6) % 7 days back)."""
    if dialect == "postgresql":
        return f"CAST(date_trunc('{grain}', day) AS DATE)"
    if grain == "month":
        return "substr(day, 1, 8) || '01'"
    return "date(day, '-' || ((CAST(strftime('%w', day) AS INTEGER) + 6) % 7) || ' days')"


def backfill_sql(dialect: str) -> list[str]:
    """One INSERT ... SELECT ... GROUP BY per period table and grain, from its day table."""
    statements = []
    for grain in ("month", "week"):
        first = _first_day(dialect, grain)
        for name, (source, keys, summed) in TABLES.items():
            columns = ", ".join(("unit_id", "grain", "first_day", *keys, *summed))
            grouped = ", ".join(("unit_id", first, *keys))
            sums = ", ".join(f"sum({c})" for c in summed)
            statements.append(
                f"INSERT INTO {name} ({columns}) SELECT unit_id, '{grain}', {first},"
                f" {', '.join(keys)}, {sums} FROM {source} GROUP BY {grouped}"
            )
    return statements


def upgrade() -> None:
    _create_tables()
    bind = op.get_bind()
    for statement in backfill_sql(bind.dialect.name):
        bind.execute(sa.text(statement))


def downgrade() -> None:
    for name in TABLES:
        op.drop_table(name)
