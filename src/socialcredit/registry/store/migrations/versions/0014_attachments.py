"""evidence attachments, repair suspension, escalation and SMS channel

Attachments: evidence files of objections and repair applications (content, SHA-256, size and
media type), deleted with their subject at retention and on erasure.

Repair suspension: each record keeps the repair applications covering it (``records.repairs``:
filed, deadline, decided), so that an application decided late suspends it as an overdue
objection does.

Escalation: a pending case near its deadline is escalated once (``escalated_on``), and each
authority may name the contact its escalations go to (``authority_contacts``).

Contacts: the channel a subject's notices go through (``email`` or ``sms``).

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 01:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | None = None
depends_on: str | None = None

_CASES = ("objections", "repair_applications")


def upgrade() -> None:
    op.add_column("records", sa.Column("repairs", sa.JSON(), nullable=True))
    for table in _CASES:
        op.add_column(table, sa.Column("escalated_on", sa.Date(), nullable=True))
    op.add_column("contacts", sa.Column("channel", sa.String(8), nullable=True))
    op.create_table(
        "authority_contacts",
        sa.Column("authority", sa.String(300), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("authority"),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_kind", sa.String(16), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("subject_id", sa.String(18), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("added_on", sa.Date(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("added_by", sa.String(200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_attachments_case", "attachments", ["case_kind", "case_id"])
    op.create_index("ix_attachments_subject_id", "attachments", ["subject_id"])


def downgrade() -> None:
    op.drop_index("ix_attachments_subject_id", table_name="attachments")
    op.drop_index("ix_attachments_case", table_name="attachments")
    op.drop_table("attachments")
    op.drop_table("authority_contacts")
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35 and later)
    op.execute("ALTER TABLE contacts DROP COLUMN channel")
    for table in _CASES:
        op.execute(f"ALTER TABLE {table} DROP COLUMN escalated_on")
    op.execute("ALTER TABLE records DROP COLUMN repairs")
