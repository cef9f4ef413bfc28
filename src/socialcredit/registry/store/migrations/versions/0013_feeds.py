"""feeds of decision changes to service providers

The decision-change log (entries into, changes of and exits from deny and restrict per subject
and service, written with the assessment that made them; ``position`` given once committed),
the providers' webhook endpoints and the deliveries queued to them.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 01:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None

_INT64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "feed_changes",
        sa.Column("id", _INT64, nullable=False),
        sa.Column("position", _INT64, nullable=True),
        sa.Column("subject_id", sa.String(length=18), nullable=False),
        sa.Column("service", sa.String(length=64), nullable=False),
        sa.Column("change", sa.String(length=8), nullable=False),
        sa.Column("effect", sa.String(length=16), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("position"),
    )
    op.create_index(
        "ix_feed_changes_service_position", "feed_changes", ["service", "position"], unique=False
    )
    op.create_index("ix_feed_changes_subject_id", "feed_changes", ["subject_id"], unique=False)
    op.create_table(
        "feed_webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("principal_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=2000), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("position", _INT64, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["principal_id"], ["principals.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_feed_webhooks_principal_id", "feed_webhooks", ["principal_id"], unique=False
    )
    op.create_table(
        "feed_deliveries",
        sa.Column("id", _INT64, nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=False),
        sa.Column("first_position", _INT64, nullable=False),
        sa.Column("last_position", _INT64, nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.String(length=1000), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["webhook_id"], ["feed_webhooks.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_feed_deliveries_due", "feed_deliveries", ["status", "webhook_id", "id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_feed_deliveries_due", table_name="feed_deliveries")
    op.drop_table("feed_deliveries")
    op.drop_index("ix_feed_webhooks_principal_id", table_name="feed_webhooks")
    op.drop_table("feed_webhooks")
    op.drop_index("ix_feed_changes_subject_id", table_name="feed_changes")
    op.drop_index("ix_feed_changes_service_position", table_name="feed_changes")
    op.drop_table("feed_changes")
