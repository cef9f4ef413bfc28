"""record, status-event and notice ids as 64-bit integers

``records.id``, ``record_events.id`` and ``notices.id`` come from 32-bit sequences, which hold
2**31 rows. A national registry reaches that: at three or four status events a record (and a
notice for every negative record, list entry and exit), 2**31 events are some 600 million
records, and the court's defaulter list alone held 14.5 million people in 2019. On PostgreSQL
these ids, their sequences and every column that holds a record id (``record_events``,
``notices``, ``objections`` and ``retired_records``' ``record_id``) become ``BIGINT``. This
rewrites those tables and their indexes under an exclusive lock: plan the time on a large
registry. SQLite's ``INTEGER`` already holds 64 bits, so nothing changes there. The downgrade
fails if an id no longer fits.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 08:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None

_SEQUENCED = ("records", "record_events", "notices")  # their own ``id`` and its sequence
_RECORD_IDS = (  # (table, column, nullable) holding a record's id
    ("record_events", "record_id", False),
    ("notices", "record_id", True),
    ("objections", "record_id", False),
    ("retired_records", "record_id", False),
)


def _retype(old: sa.types.TypeEngine[int], new: sa.types.TypeEngine[int], kind: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in _SEQUENCED:
        op.alter_column(table, "id", type_=new, existing_type=old, existing_nullable=False)
        sequence = bind.execute(
            sa.text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table}
        ).scalar_one()
        op.execute(f"ALTER SEQUENCE {sequence} AS {kind}")
    for table, column, nullable in _RECORD_IDS:
        op.alter_column(table, column, type_=new, existing_type=old, existing_nullable=nullable)


def upgrade() -> None:
    _retype(sa.Integer(), sa.BigInteger(), "bigint")


def downgrade() -> None:
    _retype(sa.BigInteger(), sa.Integer(), "integer")
