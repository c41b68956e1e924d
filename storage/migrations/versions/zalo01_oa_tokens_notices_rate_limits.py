"""Zalo: the OA token pair, ZNS result notices per link, generic rate limits

Revision ID: zalo01
Revises: staffweb01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "zalo01"
down_revision = "staffweb01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "oa_tokens",
        sa.Column("app_id", sa.String(length=32), nullable=False),
        sa.Column("access_token", sa.Text(), nullable=True),
        sa.Column("access_expires_at", sa.DateTime(), nullable=True),
        sa.Column("refresh_token", sa.Text(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_error_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("app_id", name=op.f("pk_oa_tokens")),
    )
    op.create_table(
        "result_notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("link_id", sa.Integer(), nullable=False),
        sa.Column("tracking_id", sa.String(length=48), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("error_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("msg_id", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["link_id"],
            ["survey_links.id"],
            name=op.f("fk_result_notices_link_id_survey_links"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_result_notices")),
        sa.UniqueConstraint("link_id", name=op.f("uq_result_notices_link_id")),
    )
    op.create_index(op.f("ix_result_notices_status"), "result_notices", ["status"], unique=False)
    op.create_index(
        op.f("ix_result_notices_next_attempt_at"),
        "result_notices",
        ["next_attempt_at"],
        unique=False,
    )
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(length=128), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limits")),
    )


def downgrade() -> None:
    op.drop_table("rate_limits")
    op.drop_index(op.f("ix_result_notices_next_attempt_at"), table_name="result_notices")
    op.drop_index(op.f("ix_result_notices_status"), table_name="result_notices")
    op.drop_table("result_notices")
    op.drop_table("oa_tokens")
