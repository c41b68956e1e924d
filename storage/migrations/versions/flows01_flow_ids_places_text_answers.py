"""flows by id on links, the place name of each unit, words of short-text answers

Revision ID: flows01
Revises: complaints01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "flows01"
down_revision = "complaints01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units") as batch:
        batch.add_column(sa.Column("place", sa.String(length=255), nullable=True))
    with op.batch_alter_table("survey_links") as batch:
        batch.add_column(sa.Column("flow_key", sa.String(length=64), nullable=True))
    with op.batch_alter_table("answers") as batch:
        batch.add_column(sa.Column("text", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("answers") as batch:
        batch.drop_column("text")
    with op.batch_alter_table("survey_links") as batch:
        batch.drop_column("flow_key")
    with op.batch_alter_table("units") as batch:
        batch.drop_column("place")
