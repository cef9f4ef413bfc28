"""service of notice and routing of due-process cases

Service of notice: a record's notice state, a notice's service date, queued notices.

A negative record takes effect only once its notice is served (principle 4): the record row
keeps the state of its notice's service (``records.notice``: pending, failed, served,
substitute) and a notice the date its service completed (``notices.served_on``). Notices not
yet sent are ``queued`` (they were ``pending``).

Contacts: each subject's own channels (e-mail, phone) and the language of its notices.

Routing: objections and repair applications name the authority whose reviewers decide them
(indexed: a queue per authority); pending objections get their record's agency.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 22:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None

_CASES = ("objections", "repair_applications")


def upgrade() -> None:
    op.add_column("records", sa.Column("notice", sa.String(16), nullable=True))
    op.add_column("notices", sa.Column("served_on", sa.Date(), nullable=True))
    op.execute("UPDATE notices SET status = 'queued' WHERE status = 'pending'")
    for table in _CASES:
        op.add_column(table, sa.Column("authority", sa.String(300), nullable=True))
        op.create_index(f"ix_{table}_authority", table, ["authority"], unique=False)
    op.execute(
        "UPDATE objections SET authority = "
        "(SELECT agency FROM records WHERE records.id = objections.record_id)"
    )
    op.create_table(
        "contacts",
        sa.Column("subject_id", sa.String(18), nullable=False),
        sa.Column("locale", sa.String(8), nullable=False),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("phone", sa.String(32), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("subject_id"),
    )


def downgrade() -> None:
    op.drop_table("contacts")
    for table in _CASES:
        op.drop_index(f"ix_{table}_authority", table_name=table)
        op.execute(f"ALTER TABLE {table} DROP COLUMN authority")
    # ALTER TABLE ... DROP COLUMN in place (SQLite 3.35 and later): a copied table would break
    # the foreign keys that point at ``records``
    op.execute("UPDATE notices SET status = 'pending' WHERE status = 'queued'")
    op.execute("ALTER TABLE notices DROP COLUMN served_on")
    op.execute("ALTER TABLE records DROP COLUMN notice")
