"""Request bodies: strict pydantic models (unknown fields are refused) with bounded sizes."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from socialcredit.engine.hygiene import (
    LONG_TEXT,
    MULTI_LINE_PATTERN,
    RECORD_TEXT_LIMITS,
    SHORT_TEXT,
    SINGLE_LINE_PATTERN,
)
from socialcredit.identity import IdentifierKind
from socialcredit.registry.reads.checks import MAX_BATCH


def _line(limit: int) -> StringConstraints:
    """One line of text: ``engine.hygiene``'s limit and pattern (no control characters)."""
    return StringConstraints(min_length=1, max_length=limit, pattern=SINGLE_LINE_PATTERN)


Short = Annotated[str, _line(SHORT_TEXT)]
Code = Annotated[str, _line(RECORD_TEXT_LIMITS["item"])]
SubjectText = Annotated[
    str,
    _line(RECORD_TEXT_LIMITS["subject"]),
    Field(description="Resident identity number (15 or 18 characters) or credit code."),
]
Reason = Annotated[
    str, StringConstraints(min_length=1, max_length=LONG_TEXT, pattern=MULTI_LINE_PATTERN)
]
Amount = Annotated[str, StringConstraints(pattern=r"^-?[0-9]{1,15}(\.[0-9]{1,4})?$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RecordIn(Strict):
    """One record, as in a record file (docs/cli.md); dates are YYYY-MM-DD."""

    id: Annotated[str, _line(RECORD_TEXT_LIMITS["id"])]
    subject: SubjectText
    item: Code
    decided_on: date
    authority: Short | None = None
    reference: Short | None = None
    notified_on: date | None = None
    notice: Literal["served", "substitute", "pending", "failed"] | None = None
    amount: Amount | None = None
    resolved_on: date | None = None
    revoked_on: date | None = None
    disputed_on: date | None = None
    dispute_decided_on: date | None = None
    dispute_outcome: Literal["upheld", "revoked", "corrected"] | None = None
    identifier_kind: IdentifierKind | None = Field(
        default=None,
        description="The kind of identifier subject is (docs/identity.md); an all-digit "
        "credit code must say so.",
    )

    def raw(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class LinkIn(Strict):
    """One responsible-person link, as in a links file (docs/cli.md); dates are YYYY-MM-DD."""

    id: Annotated[str, _line(RECORD_TEXT_LIMITS["id"])]
    organisation: SubjectText
    person: SubjectText
    role: Code = Field(description="A base taxonomy role, e.g. legal_representative.")
    valid_from: date
    valid_to: date | None = Field(default=None, description="The first day it no longer holds.")
    source: Literal["registration", "court_finding"]
    authority: Short | None = Field(default=None, description="Default: the agency.")
    reference: Short
    revoked_on: date | None = None
    disputed_on: date | None = None
    dispute_decided_on: date | None = None
    dispute_outcome: Literal["upheld", "revoked"] | None = None

    def raw(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class RecordBatchIn(Strict):
    records: list[RecordIn] = Field(min_length=1, max_length=MAX_BATCH)


class StatusChangeIn(Strict):
    on: date | None = Field(default=None, description="Default: the registry date.")
    reason: Reason = Field(description="Why: stored, shown to the subject and notified.")


class CorrectionIn(Strict):
    record: RecordIn = Field(description="The corrected record, under a new id.")
    reason: Reason | None = None


class OrganisationNameIn(Strict):
    name: Short


class CheckIn(Strict):
    subject: SubjectText
    service: Code
    kind: IdentifierKind | None = Field(
        default=None,
        description="The kind of identifier subject is; needed only when 18 digits are valid "
        "as two kinds (docs/identity.md#looking-a-subject-up).",
    )


class CheckBatchIn(Strict):
    checks: list[CheckIn] = Field(min_length=1, max_length=MAX_BATCH)


class ObjectionIn(Strict):
    record: Annotated[str, StringConstraints(pattern=r"^[rl][0-9]{1,11}$")] = Field(
        description="The key in your file of the record (e.g. r12) or link (e.g. l3)."
    )
    grounds: Reason


class RepairIn(Strict):
    list: Code
    statement: Reason = Field(description="What you did (obligation performed, commitment).")
    obligation_performed: bool
    commitment: bool = False


class ObjectionDecisionIn(Strict):
    outcome: Literal["upheld", "corrected", "revoked"]
    reason: Reason


class RepairDecisionIn(Strict):
    grant: bool
    reason: Reason


class PrincipalIn(Strict):
    name: Annotated[str, _line(200)]
    role: Literal["agency", "service", "subject", "reviewer", "admin"]
    authority: Short | None = None
    services: list[Code] = Field(default_factory=list, max_length=100)
    subject: SubjectText | None = None


class TickIn(Strict):
    as_of: date
    escalate_days: int = Field(
        default=3, ge=0, le=60, description="Escalate pending cases due within these working days."
    )
