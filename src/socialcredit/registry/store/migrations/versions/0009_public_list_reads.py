"""public list reads counted per member and day

A public list's page audited every member it showed, at every read: anonymous readers could
grow the audit log without bound and flood the listed subjects' access listings. Each member's
first showing of a registry day is still an audit entry; the others are counted in this table.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 22:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "public_list_reads",
        sa.Column("list_id", sa.String(length=64), nullable=False),
        sa.Column("subject_id", sa.String(length=18), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("reads", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("list_id", "subject_id", "day"),
    )


def downgrade() -> None:
    op.drop_table("public_list_reads")
