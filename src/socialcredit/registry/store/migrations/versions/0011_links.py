"""responsible-person links between organisations and persons

``links``: a dated, sourced link between an organisation and a person in a role (principle 7),
addressed by (agency, the agency's link id), with its status dates; ``link_events``: its
append-only status history. An objection is to a record or to a link (``objections.link_id``;
``record_id`` becomes nullable), at most one pending per link.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-07 01:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None

INT64 = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
_PENDING = sa.text("status = 'pending'")


def _links() -> None:
    op.create_table(
        "links",
        sa.Column("id", INT64, nullable=False),
        sa.Column("agency", sa.String(300), nullable=False),
        sa.Column("source_id", sa.String(200), nullable=False),
        sa.Column("organisation_id", sa.String(18), nullable=False),
        sa.Column("person_id", sa.String(18), nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("authority", sa.String(300), nullable=False),
        sa.Column("reference", sa.String(300), nullable=False),
        sa.Column("revoked_on", sa.Date(), nullable=True),
        sa.Column("disputed_on", sa.Date(), nullable=True),
        sa.Column("dispute_decided_on", sa.Date(), nullable=True),
        sa.Column("dispute_outcome", sa.String(16), nullable=True),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("payload_sha256", sa.String(64), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=False),
        sa.Column("registered_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["organisation_id"], ["subjects.id"]),
        sa.ForeignKeyConstraint(["person_id"], ["subjects.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("agency", "source_id", name="uq_links_agency_source"),
    )
    op.create_index("ix_links_organisation_role", "links", ["organisation_id", "role"])
    op.create_index("ix_links_person_id", "links", ["person_id"])
    op.create_index("ix_links_retain_until", "links", ["retain_until"])
    op.create_table(
        "link_events",
        sa.Column("id", INT64, nullable=False),
        sa.Column("link_id", INT64, nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["link_id"], ["links.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_link_events_link_id", "link_events", ["link_id"])


def upgrade() -> None:
    _links()
    # the partial index is dropped and made again around SQLite's copy of the table
    op.drop_index("uq_objections_pending_record", table_name="objections")
    with op.batch_alter_table("objections") as batch:
        batch.alter_column("record_id", existing_type=INT64, nullable=True)
        batch.add_column(sa.Column("link_id", INT64, nullable=True))
        batch.create_foreign_key("fk_objections_link_id", "links", ["link_id"], ["id"])
        batch.create_index("ix_objections_link_id", ["link_id"])
    for name, column in (
        ("uq_objections_pending_record", "record_id"),
        ("uq_objections_pending_link", "link_id"),
    ):
        op.create_index(
            name,
            "objections",
            [column],
            unique=True,
            sqlite_where=_PENDING,
            postgresql_where=_PENDING,
        )


def downgrade() -> None:
    op.execute("DELETE FROM objections WHERE link_id IS NOT NULL")
    op.drop_index("uq_objections_pending_link", table_name="objections")
    op.drop_index("uq_objections_pending_record", table_name="objections")
    with op.batch_alter_table("objections") as batch:
        batch.drop_index("ix_objections_link_id")
        batch.drop_constraint("fk_objections_link_id", type_="foreignkey")
        batch.drop_column("link_id")
        batch.alter_column("record_id", existing_type=INT64, nullable=False)
    op.create_index(
        "uq_objections_pending_record",
        "objections",
        ["record_id"],
        unique=True,
        sqlite_where=_PENDING,
        postgresql_where=_PENDING,
    )
    op.drop_table("link_events")
    op.drop_index("ix_links_retain_until", table_name="links")
    op.drop_index("ix_links_person_id", table_name="links")
    op.drop_index("ix_links_organisation_role", table_name="links")
    op.drop_table("links")
