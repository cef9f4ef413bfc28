"""an index of list memberships by list, in subject order

A public list's page (``GET /v1/public/lists/{list_id}/members``) asks for the members of one
list in subject order, and how many there are. The primary key of ``assessment_lists`` leads
with the subject, so both read every membership of every list; the index on (list, subject)
makes them a range of the list's own entries (the court's defaulter list held 14.5 million
people in 2019, a city's red list a few hundred). Building it reads the table once.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 08:20:00.000000
"""

from __future__ import annotations

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

_INDEX = "ix_assessment_lists_list_subject"


def upgrade() -> None:
    op.create_index(_INDEX, "assessment_lists", ["list_id", "subject_id"], unique=False)


def downgrade() -> None:
    op.drop_index(_INDEX, table_name="assessment_lists")
