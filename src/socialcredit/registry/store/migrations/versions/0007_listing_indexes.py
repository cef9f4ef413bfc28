"""indexes that make two paged listings a range of rows

A public list's page (``GET /v1/public/lists/{list_id}/members``) asks for the members of one
list in subject order, and how many there are. The primary key of ``assessment_lists`` leads
with the subject, so both read every membership of every list; an index on (list, subject)
makes them a range of the list's own entries (the court's defaulter list held 14.5 million
people in 2019, a city's red list a few hundred).

An agency's page of its own records (``GET /v1/agency/records``) is oldest first, by record id,
and the only index leading with the agency is (agency, source id): every page read and sorted
all the agency's records. An index on (agency, id) gives them in order.

Building each reads its table once.

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

_INDEXES = (  # (name, table, columns)
    ("ix_assessment_lists_list_subject", "assessment_lists", ["list_id", "subject_id"]),
    ("ix_records_agency_id", "records", ["agency", "id"]),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, table, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
