"""publications: which periods of a unit are on its public page

Revision ID: publish01
Revises: stats01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "publish01"
down_revision = "stats01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("period_label", sa.String(length=32), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.Column("published_by", sa.String(length=64), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_publications_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publications")),
        sa.UniqueConstraint(
            "unit_id", "period_label", name=op.f("uq_publications_unit_id_period_label")
        ),
    )
    op.create_index(op.f("ix_publications_unit_id"), "publications", ["unit_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_publications_unit_id"), table_name="publications")
    op.drop_table("publications")
