"""The registry's casework tables: API principals, objections, repair applications and copies
of a subject's own file."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from socialcredit.registry.store.links import LinkRow
from socialcredit.registry.store.models import HASH, INT64, SUBJECT_ID, Base

PENDING, DECIDED = "pending", "decided"
"""The statuses of a due-process case (an objection, a repair application)."""


class Principal(Base):
    """Who may call the HTTP API: a role, its scope, and the SHA-256 of its key (never the key).

    ``authority`` scopes an agency (the catalogue ``authority`` it submits for), ``services`` a
    service provider, ``subject_id`` a subject (its one identifier)."""

    __tablename__ = "principals"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    authority: Mapped[str | None] = mapped_column(String(300))
    services: Mapped[list[Any] | None] = mapped_column(JSON)
    subject_id: Mapped[str | None] = mapped_column(SUBJECT_ID)
    key_hash: Mapped[str] = mapped_column(HASH, unique=True)
    key_prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    revoked_at: Mapped[datetime | None]


class Objection(Base):
    """A subject's objection to a record or a link: it is disputed at once; a reviewer decides
    by ``deadline`` (filing date + the policy's ``objection_review_days``)."""

    __tablename__ = "objections"
    __table_args__ = (  # one pending objection per record (migration 0008)
        Index(
            "uq_objections_pending_record",
            "record_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
        Index(  # one pending objection per link (migration 0011)
            "uq_objections_pending_link",
            "link_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # what is objected to: a record, or a link naming the subject (migration 0011)
    record_id: Mapped[int | None] = mapped_column(INT64, ForeignKey("records.id"), index=True)
    link_id: Mapped[int | None] = mapped_column(INT64, ForeignKey(LinkRow.id), index=True)
    subject_id: Mapped[str] = mapped_column(SUBJECT_ID, index=True)
    authority: Mapped[str | None] = mapped_column(String(300), index=True)  # who decides
    filed_on: Mapped[date]
    deadline: Mapped[date]
    grounds: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    outcome: Mapped[str | None] = mapped_column(String(16))
    reason: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None]
    decided_by: Mapped[str | None] = mapped_column(String(200))
    overdue_noticed: Mapped[bool]
    filed_at: Mapped[datetime]
    escalated_on: Mapped[date | None]  # near its deadline (``workflows.escalation``)


class RepairApplication(Base):
    """A subject's application for credit repair on a list membership; decided by
    ``deadline`` (filing date + the list's ``repair.decision_days``)."""

    __tablename__ = "repair_applications"
    __table_args__ = (  # one pending application per subject and list (migration 0008)
        Index(
            "uq_repairs_pending_list",
            "subject_id",
            "list_id",
            unique=True,
            sqlite_where=text("status = 'pending'"),
            postgresql_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[str] = mapped_column(SUBJECT_ID, index=True)
    list_id: Mapped[str] = mapped_column(String(64))
    authority: Mapped[str | None] = mapped_column(String(300), index=True)  # who decides
    records: Mapped[list[Any]]
    filed_on: Mapped[date]
    deadline: Mapped[date]
    statement: Mapped[str] = mapped_column(Text)
    obligation_performed: Mapped[bool]
    commitment: Mapped[bool]
    status: Mapped[str] = mapped_column(String(16), index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_on: Mapped[date | None]
    decided_by: Mapped[str | None] = mapped_column(String(200))
    listing_ended: Mapped[bool | None]
    overdue_noticed: Mapped[bool]
    filed_at: Mapped[datetime]
    escalated_on: Mapped[date | None]  # near its deadline (``workflows.escalation``)


class FileCopy(Base):
    """A copy of a subject's own file handed to the subject (counted per calendar year)."""

    __tablename__ = "file_copies"

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_id: Mapped[str] = mapped_column(SUBJECT_ID, index=True)
    year: Mapped[int]
    free: Mapped[bool]
    made_at: Mapped[datetime]


class Contact(Base):
    """A subject's own channels for notices and the language it reads them in (personal data:
    deleted with the subject at retention)."""

    __tablename__ = "contacts"

    subject_id: Mapped[str] = mapped_column(SUBJECT_ID, primary_key=True)
    locale: Mapped[str] = mapped_column(String(8))
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[datetime]
    channel: Mapped[str | None] = mapped_column(String(8))  # email or sms (else e-mail first)


class AuthorityContact(Base):
    """Where an authority's escalations go (its supervising clerk's address or phone)."""

    __tablename__ = "authority_contacts"

    authority: Mapped[str] = mapped_column(String(300), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(320))
    phone: Mapped[str | None] = mapped_column(String(32))
    locale: Mapped[str] = mapped_column(String(8))
    updated_at: Mapped[datetime]


class Attachment(Base):
    """An evidence file of an objection or a repair application (personal data: deleted with
    its subject at retention and on erasure)."""

    __tablename__ = "attachments"
    __table_args__ = (Index("ix_attachments_case", "case_kind", "case_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_kind: Mapped[str] = mapped_column(String(16))  # objection or repair
    case_id: Mapped[int]
    subject_id: Mapped[str] = mapped_column(SUBJECT_ID, index=True)
    filename: Mapped[str] = mapped_column(String(200))
    media_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(HASH)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    added_on: Mapped[date]
    added_at: Mapped[datetime]
    added_by: Mapped[str] = mapped_column(String(200))
