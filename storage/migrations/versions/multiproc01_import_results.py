"""import results kept in the database (any web process serves the download)

Revision ID: multiproc01
Revises: zalo01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "multiproc01"
down_revision = "zalo01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "import_results",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_import_results_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_results")),
    )
    op.create_index(op.f("ix_import_results_user_id"), "import_results", ["user_id"], unique=False)
    op.create_index(
        op.f("ix_import_results_expires_at"), "import_results", ["expires_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_import_results_expires_at"), table_name="import_results")
    op.drop_index(op.f("ix_import_results_user_id"), table_name="import_results")
    op.drop_table("import_results")
