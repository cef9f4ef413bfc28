"""A reassessment's writes, produced subject by subject as the engine assesses them.

Each subject's chunk write holds its assessment (JSON body, scores, lists, the decisions other
than ``allow``: :mod:`.assessrows`), the stored decision rows it no longer repeats (deleted
first), the time-driven status events that have happened, the list entry and exit notices,
and the changes of its denying or restricting decisions for the feed log (:mod:`.feedlog`);
the last write holds the events of the links that expired. The backend's sink consumes them
(:mod:`socialcredit.registry.store.sink`).
"""

from __future__ import annotations

from collections.abc import Iterator

from socialcredit.engine import Record
from socialcredit.registry.store.feeds import FeedChange
from socialcredit.registry.store.links import LinkEvent
from socialcredit.registry.store.models import (
    AssessmentDecision,
    AssessmentList,
    AssessmentRow,
    AssessmentScore,
    Notice,
    RecordEvent,
    table,
)
from socialcredit.registry.store.sink import ChunkWrite, PairDeletes, Rows
from socialcredit.registry.writes.assessrows import (
    AssessmentRows,
    add_assessment,
    add_decisions,
    time_events,
)
from socialcredit.registry.writes.feedlog import changes
from socialcredit.registry.writes.notices import list_notice
from socialcredit.registry.writes.reassessinput import Before, Prepared

_ASSESSMENTS, _SCORES, _LISTS = table(AssessmentRow), table(AssessmentScore), table(AssessmentList)
_DECISIONS, _EVENTS, _NOTICES = table(AssessmentDecision), table(RecordEvent), table(Notice)
_FEED, _LINK_EVENTS = table(FeedChange), table(LinkEvent)


def _assessed(rows: AssessmentRows, before: Before, sid: str, records: list[Record]) -> None:
    """Assess one subject once (and its next change from the same evaluation)."""
    day, now, actor = before.scope.day, before.now, before.scope.actor
    found, next_on = before.assessor(sid, records)
    body = add_assessment(rows, before.active, found, next_on, before.kept_of(sid))
    rows.feed += changes(sid, before.restricted.get(sid, {}), body["decisions"], day)
    own = {r.id for r in records}  # a person's assessment also reads linked organisations'
    for key, kind, on in time_events(found, records, before.active, day):
        record_id = int(key[1:])
        if key in own and (record_id, kind) not in before.known:
            rows.events.append(
                {
                    "record_id": record_id,
                    "kind": kind,
                    "on": on,
                    "at": now,
                    "actor": actor,
                    "details": {},
                }
            )
    new_lists = {m["list"]: m for m in body["lists"]}
    old = before.old_lists.get(sid, set())
    for lst in sorted(new_lists.keys() - old):
        rows.notices.append(list_notice(sid, "list-entry", new_lists[lst], day, now))
    for lst in sorted(old - new_lists.keys()):
        rows.notices.append(list_notice(sid, "list-exit", {"list": lst}, day, now))
    rows.changed_lists += len(new_lists.keys() ^ old)


def _unassessed(rows: AssessmentRows, before: Before, sid: str) -> None:
    """A subject with no record nor link left (retention): no stored assessment, no decision
    kept."""
    add_decisions(rows, sid, {}, before.kept_of(sid))
    rows.feed += changes(sid, before.restricted.get(sid, {}), {}, before.scope.day)


def _write(rows: AssessmentRows) -> ChunkWrite:
    return (
        Rows(_ASSESSMENTS, rows.assessments),
        PairDeletes(_DECISIONS, ("subject_id", "service"), rows.stale),
        Rows(_SCORES, rows.scores),
        Rows(_LISTS, rows.lists),
        Rows(_DECISIONS, rows.decisions),
        Rows(_EVENTS, rows.events),
        Rows(_NOTICES, rows.notices),
        Rows(_FEED, rows.feed),
    )


class AssessmentWrites:
    """The chunk writes of a prepared reassessment: one per subject, each made when it is
    taken, then the expired links' events. ``changed_lists`` counts the list entries and exits
    of the writes taken so far."""

    def __init__(self, prepared: Prepared) -> None:
        self._prepared = prepared
        self.changed_lists = 0

    def __len__(self) -> int:
        return len(self._prepared.subjects) + 1

    def __iter__(self) -> Iterator[ChunkWrite]:
        prepared, before = self._prepared, self._prepared.before
        for sid in prepared.subjects:
            rows = AssessmentRows()
            records = prepared.records.get(sid)
            if records or prepared.linked.links.get(sid):
                _assessed(rows, before, sid, records or [])
            else:
                _unassessed(rows, before, sid)
            self.changed_lists += rows.changed_lists
            yield _write(rows)
        yield (Rows(_LINK_EVENTS, prepared.link_events),)
