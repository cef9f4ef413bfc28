"""assessment body lz4

Stores ``assessments.body`` (a few kilobytes of JSON per subject, rewritten on every
reassessment) with lz4 instead of PostgreSQL's default pglz: about as small on disk, and
several times cheaper to compress on every write. PostgreSQL 14 or later built with lz4 only;
elsewhere (SQLite, or a server without lz4) nothing changes. Values already stored keep their
compression until rewritten.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:20:00.000000
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import text

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def _has_lz4() -> bool:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    found = bind.execute(
        text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar_one_or_none()
    return found is not None and "lz4" in found


def upgrade() -> None:
    if _has_lz4():
        op.execute("ALTER TABLE assessments ALTER COLUMN body SET COMPRESSION lz4")


def downgrade() -> None:
    if _has_lz4():
        op.execute("ALTER TABLE assessments ALTER COLUMN body SET COMPRESSION DEFAULT")
