"""the quarantine of refused lines

Every line of a submission the registry refuses is kept, with its raw text and reasons, for the
agency to list and resubmit corrected; the raw text is personal data, blanked when the line is
resolved and deleted by retention or with its subject.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-07 01:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None

_INDEXED = ("agency", "submission", "subject_id", "status", "retain_until")


def upgrade() -> None:
    op.create_table(
        "quarantine",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("agency", sa.String(300), nullable=False),
        sa.Column("submission", sa.String(36), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("record_id", sa.String(200), nullable=True),
        sa.Column("subject_id", sa.String(18), nullable=True),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_by", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    for column in _INDEXED:
        op.create_index(f"ix_quarantine_{column}", "quarantine", [column], unique=False)


def downgrade() -> None:
    for column in _INDEXED:
        op.drop_index(f"ix_quarantine_{column}", table_name="quarantine")
    op.drop_table("quarantine")
