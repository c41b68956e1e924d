"""desks with a standing QR code; a survey link may belong to a desk instead of a dossier

Revision ID: desks01
Revises: security01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "desks01"
down_revision = "security01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "desks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("flow_key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_desks_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_desks")),
        sa.UniqueConstraint("code", name=op.f("uq_desks_code")),
    )
    op.create_index(op.f("ix_desks_unit_id"), "desks", ["unit_id"], unique=False)
    with op.batch_alter_table("survey_links") as batch:
        batch.alter_column("dossier_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("desk_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_survey_links_desk_id_desks"), "desks", ["desk_id"], ["id"]
        )
        batch.create_index(batch.f("ix_survey_links_desk_id"), ["desk_id"], unique=False)


def downgrade() -> None:
    # The older schema has no place for a rating without a dossier: refuse rather than lose it.
    scans = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM survey_links WHERE dossier_id IS NULL")
    )
    if scans:
        raise RuntimeError(
            f"{scans} desk ratings exist; the schema before desks01 cannot hold them"
        )
    with op.batch_alter_table("survey_links") as batch:
        batch.drop_index(batch.f("ix_survey_links_desk_id"))
        batch.drop_constraint(batch.f("fk_survey_links_desk_id_desks"), type_="foreignkey")
        batch.drop_column("desk_id")
        batch.alter_column("dossier_id", existing_type=sa.Integer(), nullable=False)
    op.drop_index(op.f("ix_desks_unit_id"), table_name="desks")
    op.drop_table("desks")
