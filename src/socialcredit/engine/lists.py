"""List memberships: when a subject is on a red, black or watch list, and because of what.

A black or watch membership starts when a listed record starts counting and ends at the earliest
of the entry term, the record stopping to count and the list's maximum duration; overlapping or
adjacent memberships merge; a record protected by principle 13 (its subject was a minor on its
decision date, :mod:`socialcredit.engine.minors`) has no window on a black or watch list. A red
membership holds while its condition holds (items, or a score
condition), except while the subject is on one of the lists that exclude it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from socialcredit.engine.compiled import Compiled, after, compiled
from socialcredit.engine.intervals import EMPTY, Interval, IntervalSet, union_all
from socialcredit.engine.minors import GUARDED_LIST_KINDS
from socialcredit.engine.scoring import condition_intervals
from socialcredit.engine.timeline import Timeline
from socialcredit.policy.durations import Duration
from socialcredit.policy.models import ListDef
from socialcredit.policy.policyset import PolicySet


@dataclass(frozen=True, slots=True)
class ListHistory:
    """Every day a subject is on one list, and the records behind each day."""

    list_id: str
    days: IntervalSet
    by_record: dict[str, IntervalSet]


@dataclass(frozen=True, slots=True)
class Membership:
    list: str
    kind: str
    since: date
    until: date
    records: tuple[str, ...]


def _record_window(lst: ListDef, term: Duration | str, timeline: Timeline) -> IntervalSet:
    counting = timeline.counting.parts
    if not counting:
        return EMPTY
    first = counting[0].start
    end = None
    if isinstance(term, Duration):
        end = after(term, first)
    elif timeline.record.resolved_on is not None:  # until_resolved, even for keep_counting items
        end = max(first, timeline.record.resolved_on)
    if lst.max_duration is not None:
        cap = after(lst.max_duration, first)
        end = cap if end is None or cap < end else end
    if end is None:
        return timeline.counting
    kept = tuple(p if p.end <= end else Interval(p.start, end) for p in counting if p.start < end)
    return IntervalSet(kept) if kept else EMPTY


@dataclass(frozen=True, slots=True)
class Histories:
    """The list histories of one subject's timelines, each computed once (a red list's
    exclusions reuse the histories of the lists that exclude it)."""

    policies: PolicySet
    index: Compiled
    timelines: Sequence[Timeline]
    subject_kind: str
    found: dict[str, ListHistory]
    protected: frozenset[str] = frozenset()

    def of(self, list_id: str) -> ListHistory:
        history = self.found.get(list_id)
        if history is None:
            history = self.found[list_id] = self._compute(list_id)
        return history

    def _compute(self, list_id: str) -> ListHistory:
        rule = self.index.lists[list_id]
        terms = rule.terms
        kept = frozenset() if rule.list.kind not in GUARDED_LIST_KINDS else self.protected
        by_record = {
            t.record.id: _record_window(rule.list, term, t)
            for t in self.timelines
            if (term := terms.get(t.record.item)) is not None and t.record.id not in kept
        }
        days = union_all(by_record.values())
        condition = rule.score
        if condition is not None and self.subject_kind in self._kinds(condition.model):
            days = days.union(condition_intervals(self.policies, condition, self.timelines))
        for other in rule.excluded_by:
            days = days.minus(self.of(other).days)
        return ListHistory(list_id, days, by_record)

    def _kinds(self, model_id: str) -> Sequence[str]:
        return self.index.models[model_id].model.subject_kinds


def histories_of(
    policies: PolicySet,
    timelines: Sequence[Timeline],
    kind: str,
    protected: frozenset[str] = frozenset(),
) -> Histories:
    """The list histories of ``timelines``; ``protected`` records enter no black or watch list."""
    return Histories(policies, compiled(policies), timelines, kind, {}, protected)


def membership_on(history: ListHistory, lst: ListDef, day: date) -> Membership | None:
    """The membership holding on ``day``, with its since/until and triggering records."""
    part = history.days.containing(day)
    if part is None:
        return None
    records = tuple(
        sorted(rid for rid, window in history.by_record.items() if window.overlaps(part))
    )
    return Membership(lst.id, lst.kind, part.start, part.end, records)
