"""audit sequence numbers as 64-bit integers

``audit_log.seq`` and ``registry_state.audit_seq`` number every audited read and write, and
32 bits hold 2**31 of them: 12 days of 2,000 checks a second, a few years of a national
registry's checks. On PostgreSQL both become ``BIGINT`` (this rewrites the audit log and its
primary key under an exclusive lock: plan the time on a large log). SQLite's ``INTEGER``
already holds 64 bits, so nothing changes there. The downgrade fails if a number no longer
fits.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 20:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None

_COLUMNS = (("audit_log", "seq"), ("registry_state", "audit_seq"))


def _retype(old: sa.types.TypeEngine[int], new: sa.types.TypeEngine[int]) -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in _COLUMNS:
        op.alter_column(table, column, type_=new, existing_type=old, existing_nullable=False)


def upgrade() -> None:
    _retype(sa.Integer(), sa.BigInteger())


def downgrade() -> None:
    _retype(sa.BigInteger(), sa.Integer())
