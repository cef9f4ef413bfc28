"""List memberships: when a subject is on a red, black or watch list, and because of what.

A black or watch membership starts when a listed record starts counting and ends at the earliest
of the entry term, the record stopping to count and the list's maximum duration; overlapping or
adjacent memberships merge. A red membership holds while its condition holds (items, or a score
condition), except while the subject is on one of the lists that exclude it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from socialcredit.engine.intervals import OPEN_END, IntervalSet, union_all
from socialcredit.engine.scoring import condition_intervals
from socialcredit.engine.timeline import Timeline
from socialcredit.policy.durations import Duration
from socialcredit.policy.models import ListDef
from socialcredit.policy.policyset import PolicySet


@dataclass(frozen=True)
class ListHistory:
    """Every day a subject is on one list, and the records behind each day."""

    list_id: str
    days: IntervalSet
    by_record: dict[str, IntervalSet]


@dataclass(frozen=True)
class Membership:
    list: str
    kind: str
    since: date
    until: date
    records: tuple[str, ...]


def _record_window(lst: ListDef, term: Duration | str, timeline: Timeline) -> IntervalSet:
    first = timeline.counting.first_start()
    if first is None:
        return IntervalSet()
    ends = [OPEN_END]
    if isinstance(term, Duration):
        ends.append(term.after(first))
    elif timeline.record.resolved_on is not None:  # until_resolved, even for keep_counting items
        ends.append(max(first, timeline.record.resolved_on))
    if lst.max_duration is not None:
        ends.append(lst.max_duration.after(first))
    return timeline.counting.intersect(IntervalSet.span(first, min(ends)))


def list_history(
    policies: PolicySet, lst: ListDef, timelines: Sequence[Timeline], subject_kind: str
) -> ListHistory:
    terms = {entry.item: entry.term for entry in lst.entry.items}
    by_record = {
        t.record.id: _record_window(lst, terms[t.record.item], t)
        for t in timelines
        if t.record.item in terms
    }
    days = union_all(by_record.values())
    condition = lst.entry.score
    if condition is not None and subject_kind in policies.models[condition.model].subject_kinds:
        days = days.union(condition_intervals(policies, condition, timelines))
    for other in lst.entry.excluded_by:
        excluded = list_history(policies, policies.lists[other], timelines, subject_kind)
        days = days.minus(excluded.days)
    return ListHistory(lst.id, days, by_record)


def membership_on(history: ListHistory, lst: ListDef, day: date) -> Membership | None:
    """The membership holding on ``day``, with its since/until and triggering records."""
    part = history.days.containing(day)
    if part is None:
        return None
    records = tuple(
        sorted(
            rid
            for rid, window in history.by_record.items()
            if window.intersect(IntervalSet.of([part]))
        )
    )
    return Membership(lst.id, lst.kind, part.start, part.end, records)
