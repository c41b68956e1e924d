"""month rows beside the day rows: answer_month_counts, respondent_month_sums, unit_month_stats

A year read 364 day rows per key; with month rows it reads 12 (plus the days of a partial
month at either edge). The new tables have the day tables' shape with ``month`` (the first
local date of the month) in place of ``day``, and are filled here from the day rows by one
INSERT ... SELECT ... GROUP BY each, so they start equal to the sum of their days.

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

# month table -> (day table, key columns after unit_id and the date, summed columns)
TABLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "answer_month_counts": (
        "answer_counts",
        ("flow_version_id", "question_id", "level"),
        ("count",),
    ),
    "respondent_month_sums": (
        "respondent_sums",
        ("flow_version_id", "measure"),
        ("n", "total", "squares"),
    ),
    "unit_month_stats": (
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


def _month() -> sa.Column[Any]:
    return sa.Column("month", sa.Date(), nullable=False)


def _create_tables() -> None:
    _keyed(
        "answer_month_counts",
        *_version("answer_month_counts"),
        _month(),
        sa.Column("question_id", sa.String(length=32), nullable=False),
        sa.Column("level", sa.SmallInteger(), nullable=False),
        sa.Column("count", sa.BigInteger(), nullable=False),
        keys=["unit_id", "flow_version_id", "month", "question_id", "level"],
    )
    _keyed(
        "respondent_month_sums",
        *_version("respondent_month_sums"),
        _month(),
        sa.Column("measure", sa.String(length=32), nullable=False),
        sa.Column("n", sa.BigInteger(), nullable=False),
        sa.Column("total", sa.Float(), nullable=False),
        sa.Column("squares", sa.Float(), nullable=False),
        keys=["unit_id", "flow_version_id", "month", "measure"],
    )
    _keyed(
        "unit_month_stats",
        _month(),
        sa.Column("source", sa.String(length=16), nullable=False),
        *(
            sa.Column(name, sa.BigInteger(), nullable=False)
            for name in ("started", "completed", "comments", "complaints")
        ),
        keys=["unit_id", "month", "source"],
    )


def _first_of_month(dialect: str) -> str:
    """SQL for the first day of ``day``'s month (SQLite stores dates as ISO text)."""
    if dialect == "postgresql":
        return "CAST(date_trunc('month', day) AS DATE)"
    return "substr(day, 1, 8) || '01'"


def backfill_sql(dialect: str) -> list[str]:
    """One INSERT ... SELECT ... GROUP BY per month table, from its day table."""
    month = _first_of_month(dialect)
    statements = []
    for name, (source, keys, summed) in TABLES.items():
        columns = ", ".join(("unit_id", "month", *keys, *summed))
        grouped = ", ".join(("unit_id", month, *keys))
        sums = ", ".join(f"sum({c})" for c in summed)
        statements.append(
            f"INSERT INTO {name} ({columns}) SELECT {grouped}, {sums} FROM {source}"
            f" GROUP BY {grouped}"
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
