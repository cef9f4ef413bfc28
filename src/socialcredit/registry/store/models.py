"""The registry's tables (SQLAlchemy 2, typed). Migrations live in ``migrations/``.

Record rows carry their current dates; every change of a date is written together with an
append-only ``record_events`` row. Assessments are materialised per subject (the full JSON),
per subject and score model, per subject and list, and per subject and non-``allow`` service.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

SUBJECT_ID = String(18)
HASH = String(64)
# 64-bit numbers where 32 bits would run out (SQLite's INTEGER has 64 bits already): the audit
# chain's sequence, one number per audited read or write (2**31 entries are 12 days of 2,000
# checks a second, migration 0005), and the ids of records, their status events and notices,
# with every column holding a record's id (2**31 status events are some 600 million records,
# migration 0006).
INT64 = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy's declared configuration
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: DateTime(timezone=True),
    }


class RegistryState(Base):
    """One row: the registry's current date, the audit chain's head and its pseudonym key."""

    __tablename__ = "registry_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date]
    last_tick_on: Mapped[date | None]
    audit_key: Mapped[str] = mapped_column(HASH)
    audit_seq: Mapped[int] = mapped_column(INT64)
    audit_head: Mapped[str] = mapped_column(HASH)
    created_at: Mapped[datetime]


class PolicyVersion(Base):
    """A loaded policy file: its YAML text and SHA-256. The latest row per policy is active."""

    __tablename__ = "policy_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[str] = mapped_column(String(64), index=True)
    version: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(HASH, index=True)
    text: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime]
    loaded_by: Mapped[str] = mapped_column(String(200))


class Subject(Base):
    __tablename__ = "subjects"

    id: Mapped[str] = mapped_column(SUBJECT_ID, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]


class RecordRow(Base):
    """A registered record; ``key`` (``r<id>``) is its id in assessments."""

    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("agency", "source_id", name="uq_records_agency_source"),
        Index("ix_records_agency_id", "agency", "id"),  # an agency's records, oldest first
    )

    id: Mapped[int] = mapped_column(INT64, primary_key=True)
    agency: Mapped[str] = mapped_column(String(300))
    source_id: Mapped[str] = mapped_column(String(200))
    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), index=True)
    item: Mapped[str] = mapped_column(String(64))
    authority: Mapped[str | None] = mapped_column(String(300))
    reference: Mapped[str | None] = mapped_column(String(300))
    amount: Mapped[str | None] = mapped_column(String(40))
    decided_on: Mapped[date]
    notified_on: Mapped[date | None]
    notice: Mapped[str | None] = mapped_column(String(16))  # engine.NoticeState
    resolved_on: Mapped[date | None]
    revoked_on: Mapped[date | None]
    disputed_on: Mapped[date | None]
    dispute_decided_on: Mapped[date | None]
    dispute_outcome: Mapped[str | None] = mapped_column(String(16))
    repairs: Mapped[list[Any] | None]  # the repair applications covering it (migration 0014)
    payload: Mapped[dict[str, Any]]
    payload_sha256: Mapped[str] = mapped_column(HASH)
    policy_versions: Mapped[list[Any]]
    retain_until: Mapped[date] = mapped_column(Date, index=True)
    registered_at: Mapped[datetime]

    @property
    def key(self) -> str:
        return record_key(self.id)


def record_key(record_id: int) -> str:
    return f"r{record_id}"


class RecordEvent(Base):
    """Append-only status history of a record."""

    __tablename__ = "record_events"
    __table_args__ = (  # one resolution and one dispute per record (migration 0008)
        Index(
            "uq_record_events_once",
            "record_id",
            "kind",
            unique=True,
            sqlite_where=text("kind IN ('resolved', 'disputed')"),
            postgresql_where=text("kind IN ('resolved', 'disputed')"),
        ),
    )

    id: Mapped[int] = mapped_column(INT64, primary_key=True)
    record_id: Mapped[int] = mapped_column(INT64, ForeignKey("records.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    on: Mapped[date]
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    details: Mapped[dict[str, Any]]


class AssessmentRow(Base):
    """The current assessment of a subject; valid until ``next_change_on`` (indexed).

    On PostgreSQL ``body`` is compressed with lz4 where the server has it (migration 0003).
    """

    __tablename__ = "assessments"

    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    as_of: Mapped[date]
    next_change_on: Mapped[date | None] = mapped_column(Date, index=True)
    policy_versions: Mapped[list[Any]]
    body: Mapped[dict[str, Any]]


class AssessmentScore(Base):
    __tablename__ = "assessment_scores"

    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    model: Mapped[str] = mapped_column(String(64), primary_key=True)
    policy_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[int]
    grade: Mapped[str] = mapped_column(String(32))


class AssessmentList(Base):
    """A subject's membership of a list; its members in subject order are a range of
    ``ix_assessment_lists_list_subject`` (the public list pages, migration 0007)."""

    __tablename__ = "assessment_lists"
    __table_args__ = (Index("ix_assessment_lists_list_subject", "list_id", "subject_id"),)

    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    list_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    policy_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    since: Mapped[date | None]
    until: Mapped[date | None]


class AssessmentDecision(Base):
    """A decision other than ``allow``; a service without a row allows the subject."""

    __tablename__ = "assessment_decisions"

    subject_id: Mapped[str] = mapped_column(ForeignKey("subjects.id"), primary_key=True)
    service: Mapped[str] = mapped_column(String(64), primary_key=True)
    effect: Mapped[str] = mapped_column(String(16))
    decision: Mapped[dict[str, Any]]


class Notice(Base):
    """Outbox and service of a notice (``registry.writes.service``): ``queued`` until a sender
    has sent it, then ``sent`` until the channel reports ``delivered`` or ``failed``; a failed
    notice of a record is served by ``substitute`` service (publication), complete on
    ``served_on``."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(INT64, primary_key=True)
    subject_id: Mapped[str | None] = mapped_column(SUBJECT_ID, index=True)
    kind: Mapped[str] = mapped_column(String(16))
    record_id: Mapped[int | None] = mapped_column(INT64, index=True)
    list_id: Mapped[str | None] = mapped_column(String(64))
    created_on: Mapped[date]
    body: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime]
    last_error: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    served_on: Mapped[date | None]


class AuditEntry(Base):
    """One link of the hash chain. ``subject_ref`` is a keyed pseudonym of the subject."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(INT64, primary_key=True, autoincrement=False)
    at: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    subject_ref: Mapped[str | None] = mapped_column(HASH, index=True)
    purpose: Mapped[str] = mapped_column(String(300))
    details: Mapped[dict[str, Any]]
    prev_hash: Mapped[str] = mapped_column(HASH)
    hash: Mapped[str] = mapped_column(HASH)


class RetiredRecord(Base):
    """What retention keeps of a deleted record: no subject, no payload."""

    __tablename__ = "retired_records"

    source_hash: Mapped[str] = mapped_column(HASH, primary_key=True)
    record_id: Mapped[int] = mapped_column(INT64)
    item: Mapped[str] = mapped_column(String(64))
    payload_sha256: Mapped[str] = mapped_column(HASH)
    retain_until: Mapped[date]
    retired_on: Mapped[date]


class Organisation(Base):
    """An organisation's registered name, for the public lookup by name."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(SUBJECT_ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), index=True)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))


def table(model: type[Base]) -> Table:
    """The Core table of ``model`` (for statements built once and executed with Core)."""
    return Base.metadata.tables[model.__tablename__]


class PublicListRead(Base):
    """How often a member of a public list was shown on the public list pages on one registry
    day: the first showing of the day is an audit entry in the member's access listing, the
    others only count here (anonymous reads would otherwise grow the log without bound)."""

    __tablename__ = "public_list_reads"

    list_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    subject_id: Mapped[str] = mapped_column(SUBJECT_ID, primary_key=True)
    day: Mapped[date] = mapped_column(primary_key=True)
    reads: Mapped[int]
