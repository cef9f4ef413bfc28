"""Response bodies: the shapes the API returns (documented in the OpenAPI schema)."""

from __future__ import annotations

from datetime import date
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from socialcredit.registry.reads.subjectfile import SubjectFile
from socialcredit.registry.store.casework import Objection, Principal
from socialcredit.registry.store.casework import RepairApplication as RepairRow
from socialcredit.registry.store.links import LinkEvent, LinkRow
from socialcredit.registry.store.models import Notice, RecordEvent, RecordRow
from socialcredit.registry.workflows.objections import case_key

T = TypeVar("T")
Keys = list[str]


class PageOut(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last.")


class EventOut(BaseModel):
    kind: str
    on: date
    details: dict[str, Any]


class RecordOut(BaseModel):
    record: str = Field(description="The registry's key of the record (r<id>).")
    agency: str
    source_id: str
    subject: str
    item: str
    decided_on: date
    status: dict[str, date | None]
    payload: dict[str, Any]
    history: list[EventOut]


def record_out(row: RecordRow, events: list[RecordEvent]) -> RecordOut:
    return RecordOut(
        record=row.key,
        agency=row.agency,
        source_id=row.source_id,
        subject=row.subject_id,
        item=row.item,
        decided_on=row.decided_on,
        status={
            "notified_on": row.notified_on,
            "resolved_on": row.resolved_on,
            "revoked_on": row.revoked_on,
            "disputed_on": row.disputed_on,
            "dispute_decided_on": row.dispute_decided_on,
        },
        payload=row.payload,
        history=[EventOut(kind=e.kind, on=e.on, details=e.details) for e in events],
    )


class SubmitOut(BaseModel):
    record: str
    status: str = Field(description="registered or unchanged")


class LinkSubmitOut(BaseModel):
    link: str = Field(description="The agency's link id.")
    status: str = Field(description="registered or unchanged")


class OutcomeOut(BaseModel):
    index: int
    record: str | None
    status: str = Field(description="registered, unchanged or refused")
    reasons: list[str]
    warnings: list[str]


class BatchSubmitOut(BaseModel):
    registered: int
    unchanged: int
    refused: int
    outcomes: list[OutcomeOut]


class CheckOut(BaseModel):
    subject: str
    service: str
    as_of: str
    effect: str = Field(description="allow, deny, restrict or benefit")
    reasons: list[Any]
    remedies: list[Any]


class CheckBatchOut(BaseModel):
    results: list[CheckOut]


class NoticeOut(BaseModel):
    id: int
    kind: str
    created_on: date
    status: str
    body: dict[str, Any] | None


class LinkEventOut(BaseModel):
    kind: str
    on: date
    details: dict[str, Any]


class LinkOut(BaseModel):
    """A responsible-person link naming the subject (as organisation or as person)."""

    link: str = Field(description="The link's key, e.g. l3 (object to it by this key).")
    agency: str
    id: str = Field(description="The agency's link id.")
    organisation: str
    person: str
    role: str
    valid_from: date
    valid_to: date | None
    source: str
    authority: str
    reference: str
    revoked_on: date | None
    disputed_on: date | None
    dispute_decided_on: date | None
    dispute_outcome: str | None
    history: list[LinkEventOut]


def link_out(row: LinkRow, events: list[LinkEvent]) -> LinkOut:
    return LinkOut(
        link=row.key,
        agency=row.agency,
        id=row.source_id,
        organisation=row.organisation_id,
        person=row.person_id,
        role=row.role,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        source=row.source,
        authority=row.authority,
        reference=row.reference,
        revoked_on=row.revoked_on,
        disputed_on=row.disputed_on,
        dispute_decided_on=row.dispute_decided_on,
        dispute_outcome=row.dispute_outcome,
        history=[LinkEventOut(kind=e.kind, on=e.on, details=e.details) for e in events],
    )


class SubjectFileOut(BaseModel):
    subject: str
    kind: str
    registry_date: str
    next_change_on: str | None
    assessment: dict[str, Any] = Field(description="Scores with contributions, lists, decisions.")
    records: list[RecordOut]
    links: list[LinkOut] = Field(
        default_factory=list, description="Responsible-person links naming the subject."
    )
    notices: list[NoticeOut]


def file_out(found: SubjectFile) -> SubjectFileOut:
    """The subject's file as the API returns it (and `subject show --json` prints it)."""
    return SubjectFileOut(
        subject=found.subject,
        kind=found.kind,
        registry_date=found.registry_date,
        next_change_on=found.next_change_on,
        assessment=found.assessment,
        records=[record_out(r, found.events.get(r.id, [])) for r in found.records],
        links=[link_out(k, found.link_events.get(k.id, [])) for k in found.links],
        notices=[notice_out(n) for n in found.notices],
    )


def notice_out(n: Notice) -> NoticeOut:
    return NoticeOut(id=n.id, kind=n.kind, created_on=n.created_on, status=n.status, body=n.body)


class CopyOut(BaseModel):
    year: int
    number: int
    free: bool
    free_left: int


class ExportOut(BaseModel):
    file_copy: CopyOut = Field(description="This copy's number in the year; free or not.")
    file: SubjectFileOut


class AccessOut(BaseModel):
    seq: int
    at: str
    who: str
    role: str
    action: str
    purpose: str


class AccessProofOut(BaseModel):
    """RFC 9162 inclusion proof of one access entry in a signed checkpoint's Merkle tree."""

    seq: int
    entry_hash: str
    tree_size: int
    merkle_root: str
    checkpoint_at: str
    path: list[str]


class ObjectionOut(BaseModel):
    id: int
    record: str = Field(description="What is objected to: a record (r12) or a link (l3).")
    subject: str
    filed_on: date
    deadline: date
    overdue: bool
    escalated_on: date | None
    grounds: str
    status: str
    outcome: str | None
    reason: str | None
    decided_on: date | None


def _overdue(row: Objection | RepairRow, today: date) -> bool:
    """A pending case whose deadline is reached."""
    return row.status == "pending" and row.deadline <= today


def objection_out(row: Objection, today: date) -> ObjectionOut:
    return ObjectionOut(
        id=row.id,
        record=case_key(row),
        subject=row.subject_id,
        filed_on=row.filed_on,
        deadline=row.deadline,
        overdue=_overdue(row, today),
        escalated_on=row.escalated_on,
        grounds=row.grounds,
        status=row.status,
        outcome=row.outcome,
        reason=row.reason,
        decided_on=row.decided_on,
    )


class RepairOut(BaseModel):
    id: int
    subject: str
    list: str
    records: Keys
    filed_on: date
    deadline: date
    overdue: bool
    escalated_on: date | None
    statement: str
    obligation_performed: bool
    commitment: bool
    status: str
    reason: str | None
    decided_on: date | None
    listing_ended: bool | None


def repair_out(row: RepairRow, today: date) -> RepairOut:
    return RepairOut(
        id=row.id,
        subject=row.subject_id,
        list=row.list_id,
        records=[str(r) for r in row.records],
        filed_on=row.filed_on,
        deadline=row.deadline,
        overdue=_overdue(row, today),
        escalated_on=row.escalated_on,
        statement=row.statement,
        obligation_performed=row.obligation_performed,
        commitment=row.commitment,
        status=row.status,
        reason=row.reason,
        decided_on=row.decided_on,
        listing_ended=row.listing_ended,
    )


class PrincipalOut(BaseModel):
    id: int
    name: str
    role: str
    authority: str | None
    services: list[str]
    subject: str | None
    key_prefix: str
    created_at: str
    revoked_at: str | None


def principal_out(row: Principal) -> PrincipalOut:
    return PrincipalOut(
        id=row.id,
        name=row.name,
        role=row.role,
        authority=row.authority,
        services=[str(s) for s in row.services or []],
        subject=row.subject_id,
        key_prefix=row.key_prefix,
        created_at=row.created_at.isoformat(),
        revoked_at=None if row.revoked_at is None else row.revoked_at.isoformat(),
    )


class NewPrincipalOut(PrincipalOut):
    key: str = Field(description="The API key. It is shown this once and stored only hashed.")


class PublicRecordOut(BaseModel):
    record: str
    item: str
    title: str
    authority: str | None
    reference: str | None
    decided_on: str
    status: str
    disclosed_until: str
    legal_basis: str | None


class PublicListOut(BaseModel):
    list: str
    kind: str
    since: str | None
    until: str | None


class OrganisationOut(BaseModel):
    subject: str
    name: str | None
    as_of: date
    records: list[PublicRecordOut]
    lists: list[PublicListOut]


class OrganisationNameOut(BaseModel):
    subject: str
    name: str


class MemberOut(BaseModel):
    subject: str = Field(description="Credit code, or a person's masked identity number.")
    kind: str
    name: str | None
    since: str | None
    until: str | None
