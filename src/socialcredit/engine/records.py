"""A record: one occurrence of a catalogue item for one subject (design.md section 3)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum


class DisputeOutcome(StrEnum):
    UPHELD = "upheld"  # the record stands; it counts again from the decision
    REVOKED = "revoked"  # the record is void from the decision on
    CORRECTED = "corrected"  # this version stops counting; the corrected one is a new record


class NoticeState(StrEnum):
    """How far the service of a negative record's notice has come (principle 4).

    A record without a notice state was served on ``notified_on`` (or ``decided_on``), as the
    submitting agency attests.
    """

    SERVED = "served"  # delivery confirmed by the channel on ``notified_on``
    SUBSTITUTE = "substitute"  # substitute service (publication) completed on ``notified_on``
    PENDING = "pending"  # queued or sent, not yet confirmed: not served
    FAILED = "failed"  # delivery failed and no substitute service yet: not served


UNSERVED = (NoticeState.PENDING, NoticeState.FAILED)


@dataclass(frozen=True, slots=True)
class RepairCase:
    """A credit repair application covering a record (registry casework, not an agency's
    field): filed on ``filed_on``, to be decided by ``deadline``, decided on ``decided_on``.
    Undecided at its deadline, it suspends the record until its decision, as an objection
    does."""

    filed_on: date
    deadline: date
    decided_on: date | None = None


RECORD_FIELDS = (
    "id",
    "subject",
    "item",
    "authority",
    "reference",
    "decided_on",
    "notified_on",
    "notice",
    "amount",
    "resolved_on",
    "revoked_on",
    "disputed_on",
    "dispute_decided_on",
    "dispute_outcome",
)
"""The fields of a record as it is kept (and as it arrives in JSON Lines, CSV or Parquet)."""

INPUT_FIELDS = (*RECORD_FIELDS, "identifier_kind")
"""What an incoming record may carry: its fields and, optionally, the kind of identifier its
``subject`` is (``socialcredit.identity.IdentifierKind``); a declared kind is checked against
the identifier, and the identifier is kept in canonical form, so the kind is not kept."""


@dataclass(frozen=True, slots=True)
class Record:
    """A validated record; ``subject`` is the canonical 18-character identifier."""

    id: str
    subject: str
    subject_kind: str
    item: str
    decided_on: date
    authority: str | None = None
    reference: str | None = None
    notified_on: date | None = None
    notice: NoticeState | None = None
    amount: Decimal | None = None
    resolved_on: date | None = None
    revoked_on: date | None = None
    disputed_on: date | None = None
    dispute_decided_on: date | None = None
    dispute_outcome: DisputeOutcome | None = None
    repairs: tuple[RepairCase, ...] = ()  # registry casework: not in ``RECORD_FIELDS``
