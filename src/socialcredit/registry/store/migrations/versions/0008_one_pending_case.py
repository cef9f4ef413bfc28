"""at most one pending case, one resolution: unique partial indexes

Workflows take the subject's lock before reading what is pending; these indexes make the
"at most one" rules hold even if some code path forgets to: one pending objection per record,
one pending repair application per subject and list, and one resolved and one disputed
event per record. A registry holding duplicates from before (possible on PostgreSQL under
concurrent requests) fails this migration, naming the index: decide or remove the duplicates
first.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 22:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

PENDING = sa.text("status = 'pending'")
ONCE = sa.text("kind IN ('resolved', 'disputed')")
_INDEXES = (  # (name, table, columns, condition)
    ("uq_objections_pending_record", "objections", ["record_id"], PENDING),
    ("uq_repairs_pending_list", "repair_applications", ["subject_id", "list_id"], PENDING),
    ("uq_record_events_once", "record_events", ["record_id", "kind"], ONCE),
)


def upgrade() -> None:
    for name, table, columns, where in _INDEXES:
        op.create_index(
            name, table, columns, unique=True, sqlite_where=where, postgresql_where=where
        )


def downgrade() -> None:
    for name, table, _, _ in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
