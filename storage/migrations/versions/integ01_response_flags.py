"""integrity flags of responses, and the keyed chat hash for repeat detection

Revision ID: integ01
Revises: flows01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "integ01"
down_revision = "flows01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "response_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("flag", sa.String(length=32), nullable=False),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=64), nullable=True),
        sa.Column("decision", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["survey_sessions.id"],
            name=op.f("fk_response_flags_session_id_survey_sessions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_response_flags")),
        sa.UniqueConstraint("session_id", "flag", name=op.f("uq_response_flags_session_id_flag")),
    )
    op.create_index(
        op.f("ix_response_flags_session_id"), "response_flags", ["session_id"], unique=False
    )
    op.create_index(op.f("ix_response_flags_flag"), "response_flags", ["flag"], unique=False)
    op.create_index(
        op.f("ix_response_flags_raised_at"), "response_flags", ["raised_at"], unique=False
    )
    with op.batch_alter_table("survey_sessions") as batch:
        batch.add_column(sa.Column("chat_key", sa.String(length=64), nullable=True))
        batch.create_index(batch.f("ix_survey_sessions_chat_key"), ["chat_key"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("survey_sessions") as batch:
        batch.drop_index(batch.f("ix_survey_sessions_chat_key"))
        batch.drop_column("chat_key")
    op.drop_index(op.f("ix_response_flags_raised_at"), table_name="response_flags")
    op.drop_index(op.f("ix_response_flags_flag"), table_name="response_flags")
    op.drop_index(op.f("ix_response_flags_session_id"), table_name="response_flags")
    op.drop_table("response_flags")
