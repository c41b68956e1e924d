"""staff sessions revocable per user; the session signing key leaves the database

Revision ID: security01
Revises: integ01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "security01"
down_revision = "integ01"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_generation", sa.Integer(), nullable=False, server_default="0")
        )
    # The signing key now comes from [web] secret_key or [web] secret_key_file: a key kept
    # in plain text in the database is removed (staff log in once more after the upgrade).
    op.execute(sa.text("DELETE FROM system_settings WHERE key = 'web.secret_key'"))


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("session_generation")
