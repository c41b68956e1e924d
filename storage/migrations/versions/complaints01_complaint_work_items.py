"""complaints (phản ánh, kiến nghị) as work items: status, due date, assignee, answer

Revision ID: complaints01
Revises: recheck01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "complaints01"
down_revision = "recheck01"
branch_labels = None
depends_on = None

INDEXED = ("unit_id", "session_id", "status", "received_at", "due_at", "assignee_id")


def upgrade() -> None:
    op.create_table(
        "complaints",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("received_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("assignee_id", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("answered_by", sa.String(length=64), nullable=True),
        sa.Column("answer_route", sa.String(length=16), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("public_text", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comments.id"], name=op.f("fk_complaints_comment_id_comments")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_complaints_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["survey_sessions.id"],
            name=op.f("fk_complaints_session_id_survey_sessions"),
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_complaints_assignee_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_complaints")),
        sa.UniqueConstraint("comment_id", name=op.f("uq_complaints_comment_id")),
    )
    for column in INDEXED:
        op.create_index(op.f(f"ix_complaints_{column}"), "complaints", [column], unique=False)


def downgrade() -> None:
    for column in reversed(INDEXED):
        op.drop_index(op.f(f"ix_complaints_{column}"), table_name="complaints")
    op.drop_table("complaints")
