"""A link: a dated, sourced relation between an organisation and a person in a named role.

Principle 7: a measure against a listed organisation may reach a person only through a link in
a role the measure's base measure names (``Measure.targets``), only while the link holds and the
organisation is on the list, and never anyone else. Principle 9: a link can be objected to like
a record; an objection not decided within the review deadline suspends the link until it is
decided, and a decision that revokes the link ends it from the decision on.

This module holds the link as the engine sees it; the roles are the base taxonomy's
(``policy/data/base/taxonomy.yaml``: ``roles``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from socialcredit.engine.records import DisputeOutcome


class LinkSource(StrEnum):
    """What establishes a link."""

    REGISTRATION = "registration"  # the market regulator's registration record
    COURT_FINDING = "court_finding"  # a court's finding, e.g. of an actual controller


LINK_FIELDS = (
    "id",
    "organisation",
    "person",
    "role",
    "valid_from",
    "valid_to",
    "source",
    "authority",
    "reference",
    "revoked_on",
    "disputed_on",
    "dispute_decided_on",
    "dispute_outcome",
)
"""The fields of a link as it is kept and as it arrives in a links file."""


@dataclass(frozen=True, slots=True)
class Link:
    """A validated link; ``organisation`` is a canonical USCC, ``person`` a canonical resident
    identity number. ``valid_to`` is the first day the link no longer holds (None: open).
    A dispute's outcome is ``upheld`` or ``revoked`` (a link is not corrected: a new link is
    submitted)."""

    id: str
    organisation: str
    person: str
    role: str
    valid_from: date
    source: LinkSource
    authority: str
    reference: str
    valid_to: date | None = None
    revoked_on: date | None = None
    disputed_on: date | None = None
    dispute_decided_on: date | None = None
    dispute_outcome: DisputeOutcome | None = None
