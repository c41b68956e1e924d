"""re-verification draws, paper entries, funnel timestamps

Revision ID: recheck01
Revises: publish01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "recheck01"
down_revision = "publish01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN on both backends: rebuilding survey_sessions on SQLite (batch mode)
    # would drop a table that answers reference while foreign keys are enforced.
    op.add_column("survey_links", sa.Column("opened_at", sa.DateTime(), nullable=True))
    op.add_column("survey_sessions", sa.Column("consented_at", sa.DateTime(), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "ALTER TABLE survey_sessions ADD COLUMN entered_by INTEGER REFERENCES users (id)"
        )
    else:
        op.add_column("survey_sessions", sa.Column("entered_by", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_survey_sessions_entered_by_users"),
            "survey_sessions",
            "users",
            ["entered_by"],
            ["id"],
        )
    op.create_table(
        "recheck_draws",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period_label", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("share", sa.SmallInteger(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("population", sa.Integer(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(), nullable=False),
        sa.Column("drawn_by", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_recheck_draws_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recheck_draws")),
    )
    op.create_index(op.f("ix_recheck_draws_unit_id"), "recheck_draws", ["unit_id"], unique=False)
    op.create_table(
        "recheck_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draw_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("called", sa.Boolean(), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("outcome_at", sa.DateTime(), nullable=True),
        sa.Column("outcome_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["draw_id"], ["recheck_draws.id"], name=op.f("fk_recheck_items_draw_id_recheck_draws")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["survey_sessions.id"],
            name=op.f("fk_recheck_items_session_id_survey_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["recheck_items.id"],
            name=op.f("fk_recheck_items_replaces_id_recheck_items"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recheck_items")),
        sa.UniqueConstraint(
            "draw_id", "session_id", name=op.f("uq_recheck_items_draw_id_session_id")
        ),
    )
    op.create_index(op.f("ix_recheck_items_draw_id"), "recheck_items", ["draw_id"], unique=False)
    op.create_index(
        op.f("ix_recheck_items_session_id"), "recheck_items", ["session_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_recheck_items_session_id"), table_name="recheck_items")
    op.drop_index(op.f("ix_recheck_items_draw_id"), table_name="recheck_items")
    op.drop_table("recheck_items")
    op.drop_index(op.f("ix_recheck_draws_unit_id"), table_name="recheck_draws")
    op.drop_table("recheck_draws")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(
            op.f("fk_survey_sessions_entered_by_users"), "survey_sessions", type_="foreignkey"
        )
    with op.batch_alter_table("survey_sessions") as batch:
        batch.drop_column("entered_by")
        batch.drop_column("consented_at")
    with op.batch_alter_table("survey_links") as batch:
        batch.drop_column("opened_at")
