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

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from socialcredit.engine.intervals import EMPTY, OPEN_END, IntervalSet
from socialcredit.engine.records import DisputeOutcome
from socialcredit.engine.workdays import deadline


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


class LinkStatus(StrEnum):
    """Where a link stands on a day (like :class:`~socialcredit.engine.timeline.RecordStatus`)."""

    HOLDING = "holding"
    DISPUTED = "disputed"  # holding, objection filed and within its review deadline
    SUSPENDED = "suspended"  # objection not decided in time: the link does not hold
    ENDED = "ended"  # on or after ``valid_to``
    REVOKED = "revoked"  # revoked directly, or by an objection decided ``revoked``


ReviewTerm = tuple[int, bool]
"""An objection review deadline: (days, counted in working days)."""

_VOIDING = (DisputeOutcome.REVOKED, DisputeOutcome.CORRECTED)


@dataclass(frozen=True, slots=True)
class LinkLine:
    """When a link holds: from ``valid_from`` until ``ends_on`` (the earliest of ``valid_to``
    and its revocation), except while it is suspended (an objection undecided past its review
    deadline, until the decision)."""

    link: Link
    ends_on: date
    revoked_on: date | None
    deadline: date | None  # the review deadline of its objection, if one was filed
    holding: IntervalSet
    suspended: IntervalSet

    def status_on(self, day: date) -> LinkStatus:
        if self.revoked_on is not None and self.revoked_on <= day:
            return LinkStatus.REVOKED
        if day >= self.ends_on:
            return LinkStatus.ENDED
        if self.suspended.contains(day):
            return LinkStatus.SUSPENDED
        link = self.link
        decided = link.dispute_decided_on
        if (
            link.disputed_on is not None
            and link.disputed_on <= day
            and not (decided and decided <= day)
        ):
            return LinkStatus.DISPUTED
        return LinkStatus.HOLDING


def known_link_on(link: Link, day: date) -> Link | None:
    """The link as known on ``day``: ``None`` if it starts later; later facts masked (its end,
    revocation, objection and decision), as :func:`socialcredit.engine.timeline.known_on`
    masks a record's."""
    if link.valid_from > day:
        return None

    def seen(when: date | None) -> date | None:
        return when if when is not None and when <= day else None

    decided = seen(link.dispute_decided_on)
    return replace(
        link,
        valid_to=seen(link.valid_to),
        revoked_on=seen(link.revoked_on),
        disputed_on=seen(link.disputed_on),
        dispute_decided_on=decided,
        dispute_outcome=link.dispute_outcome if decided else None,
    )


def review_deadline(disputed_on: date, terms: Sequence[ReviewTerm]) -> date:
    """The earliest of the deadlines of ``terms`` for an objection filed on ``disputed_on``
    (a link belongs to no one policy: the shortest deadline of the policies in force protects
    the linked person most)."""
    return min(deadline(disputed_on, days, working) for days, working in terms)


def link_line(link: Link, terms: Sequence[ReviewTerm]) -> LinkLine:
    """The timeline of ``link`` (as known), its objection reviewed within ``terms``."""
    revoked = link.revoked_on
    decided = link.dispute_decided_on
    if decided is not None and link.dispute_outcome in _VOIDING:
        revoked = decided if revoked is None else min(revoked, decided)
    ends_on = min(link.valid_to or OPEN_END, revoked or OPEN_END)
    ends_on = max(link.valid_from, ends_on)
    when = None
    suspended = EMPTY
    if link.disputed_on is not None and terms:
        when = review_deadline(link.disputed_on, terms)
        suspended = IntervalSet.span(when, decided or OPEN_END)
    holding = IntervalSet.span(link.valid_from, ends_on).minus(suspended)
    return LinkLine(link, ends_on, revoked, when, holding, suspended)


def link_events(link: Link) -> set[date]:
    """The dates on which a fact about the link starts or becomes known."""
    events = (
        link.valid_from,
        link.valid_to,
        link.revoked_on,
        link.disputed_on,
        link.dispute_decided_on,
    )
    return {d for d in events if d is not None}
