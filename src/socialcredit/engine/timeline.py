"""When one record counts: notice period, term, resolution, revocation and dispute suspension.

Reference semantics (docs/semantics.md):
- a negative record is effective from ``notified_on + notice_days`` (``notified_on`` defaults to
  ``decided_on``); a positive one from ``decided_on``; a negative record whose notice is
  ``pending`` or ``failed`` has not been served and is not effective at all;
- it counts until ``effective_from + counts_for``, and not from ``revoked_on`` on, nor from
  ``resolved_on`` on (unless the item says ``keep_counting``), nor from a dispute decision with
  outcome revoked or corrected;
- a dispute not decided within the policy's ``objection_review_days`` (calendar days, or working
  days on the official Chinese calendar: ``engine.workdays``) suspends the record from the
  deadline until the decision; so does a credit repair application covering the record that is
  not decided by its deadline (``Record.repairs``, from the registry's casework).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from socialcredit.engine.compiled import after
from socialcredit.engine.intervals import EMPTY, OPEN_END, IntervalSet
from socialcredit.engine.records import UNSERVED, DisputeOutcome, Record, RepairCase
from socialcredit.engine.workdays import deadline as review_deadline
from socialcredit.policy.models import Item
from socialcredit.policy.vocabulary import Polarity


class RecordStatus(StrEnum):
    PENDING = "pending"  # in its notice period, not yet effective
    COUNTING = "counting"
    DISPUTED = "disputed"  # counting, objection filed and within its review deadline
    SUSPENDED = "suspended"  # objection not decided in time
    RESOLVED = "resolved"
    REVOKED = "revoked"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True)
class Timeline:
    record: Record
    effective_from: date
    term_end: date
    stops_on: date
    counting: IntervalSet
    suspended: IntervalSet
    resolution_stops: bool
    revoked_on: date | None  # directly, or by a dispute decided revoked or corrected

    def status_on(self, day: date) -> RecordStatus:  # noqa: PLR0911 - one answer per status
        record = self.record
        revoked = self.revoked_on
        if revoked is not None and revoked <= day:
            return RecordStatus.REVOKED
        resolved = record.resolved_on
        if resolved is not None and resolved <= day and self.resolution_stops:
            return RecordStatus.RESOLVED
        if day < self.effective_from:
            return RecordStatus.PENDING
        if day >= self.term_end:
            return RecordStatus.EXPIRED
        if self.suspended.contains(day):
            return RecordStatus.SUSPENDED
        if _dispute_open(record, day):
            return RecordStatus.DISPUTED
        return RecordStatus.COUNTING


def _revoked_by(record: Record) -> date | None:
    revoked = record.revoked_on
    decided = record.dispute_decided_on
    if decided is not None and record.dispute_outcome in _VOIDING:
        return decided if revoked is None else min(revoked, decided)
    return revoked


_VOIDING = (DisputeOutcome.REVOKED, DisputeOutcome.CORRECTED)


def _dispute_open(record: Record, day: date) -> bool:
    if record.disputed_on is None or record.disputed_on > day:
        return False
    return record.dispute_decided_on is None or record.dispute_decided_on > day


def effective_from(record: Record, item: Item) -> date:
    if item.polarity is Polarity.POSITIVE:
        return record.decided_on
    if record.notice in UNSERVED:
        return OPEN_END  # notice before effect: never, until it is served
    notified = record.notified_on or record.decided_on
    return notified + timedelta(days=item.notice_days or 0)


def suspension(record: Record, review_days: int, working: bool = False) -> IntervalSet:
    """From the review deadline of an undecided objection until its decision, and from the
    deadline of each repair application covering the record until its decision."""
    found = EMPTY
    for case in record.repairs:
        found = found.union(IntervalSet.span(case.deadline, case.decided_on or OPEN_END))
    if record.disputed_on is None:
        return found
    deadline = review_deadline(record.disputed_on, review_days, working)
    return found.union(IntervalSet.span(deadline, record.dispute_decided_on or OPEN_END))


def known_on(record: Record, day: date) -> Record | None:
    """The record as it was known on ``day``: ``None`` if decided later; later events masked.

    An assessment as of a date uses only the facts known on that date, so that re-running it
    later reproduces the decision that was made then.
    """
    if record.decided_on > day:
        return None
    if _all_known(record, day):
        return record  # nothing to mask: the record as it is

    def seen(when: date | None) -> date | None:
        return when if when is not None and when <= day else None

    decided_dispute = seen(record.dispute_decided_on)
    repairs = tuple(
        replace(case, decided_on=seen(case.decided_on))
        for case in record.repairs
        if case.filed_on <= day
    )
    return replace(
        record,
        resolved_on=seen(record.resolved_on),
        revoked_on=seen(record.revoked_on),
        disputed_on=seen(record.disputed_on),
        dispute_decided_on=decided_dispute,
        dispute_outcome=record.dispute_outcome if decided_dispute else None,
        repairs=repairs,
    )


def _all_known(record: Record, day: date) -> bool:
    """Whether masking the facts dated after ``day`` would leave ``record`` as it is."""
    decided_dispute = record.dispute_decided_on
    if decided_dispute is None:
        if record.dispute_outcome is not None:
            return False
    elif decided_dispute > day:
        return False
    if any(_later(case, day) for case in record.repairs):
        return False
    return not (
        (record.resolved_on is not None and record.resolved_on > day)
        or (record.revoked_on is not None and record.revoked_on > day)
        or (record.disputed_on is not None and record.disputed_on > day)
    )


def _later(case: RepairCase, day: date) -> bool:
    """Whether the repair case was filed, or decided, after ``day``."""
    return case.filed_on > day or (case.decided_on is not None and case.decided_on > day)


def timeline(record: Record, item: Item, review_days: int, working: bool = False) -> Timeline:
    """The full timeline of ``record`` under ``item``."""
    start = effective_from(record, item)
    term_end = OPEN_END if start == OPEN_END else after(item.counts_for, start)
    stops_on = term_end
    revoked = _revoked_by(record)
    if revoked is not None and revoked < stops_on:
        stops_on = revoked
    resolution_stops = item.on_resolution == "stop_counting"
    resolved = record.resolved_on
    if resolved is not None and resolution_stops and resolved < stops_on:
        stops_on = resolved
    stops_on = max(start, stops_on)
    suspended = suspension(record, review_days, working)
    counting = IntervalSet.span(start, stops_on).minus(suspended)
    return Timeline(
        record, start, term_end, stops_on, counting, suspended, resolution_stops, revoked
    )
