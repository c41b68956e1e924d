"""rate limits kept in the database (short-code guesses per chat)

Revision ID: core01
Revises: staffweb01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "core01"
down_revision = "staffweb01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("window_start", sa.DateTime(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limits")),
    )


def downgrade() -> None:
    op.drop_table("rate_limits")
