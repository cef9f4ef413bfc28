"""What a reassessment reads before it writes, and how it assesses each subject.

A reassessment first reads the subjects' records (with their kind; records written earlier in
the same transaction are passed in, not read back), their links and the linked organisations'
records, the time events already written and the decisions that denied or restricted the
subjects, with one ``SELECT`` each, and has its sink clear the old assessment rows (returning
the lists the subjects were on). Nothing of the new assessments is computed yet: that is
:class:`~socialcredit.registry.writes.assessmentwrites.AssessmentWrites`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Select, select

from socialcredit.engine import Assessment, Record, assess_with_next_change
from socialcredit.identity import SubjectId, SubjectKind, parse_subject
from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.store.backend import Backend
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.models import RecordEvent, RecordRow, Subject, table
from socialcredit.registry.store.sink import Sink
from socialcredit.registry.writes import linkrows
from socialcredit.registry.writes.assessrows import ENGINE_COLUMNS, TIME_EVENTS, to_record
from socialcredit.registry.writes.feedlog import restricting


@dataclass(frozen=True)
class Scope:
    """The subjects to reassess, on which day, by whom.

    ``fresh`` holds the records written in this transaction (a submission's new records, by row
    id, as the engine reads them): they are taken from here, not read back, and have no time
    event yet to look up.
    """

    subjects: Sequence[str]
    day: date
    actor: str
    fresh: Mapping[int, Record] = field(default_factory=dict)


Assessor = Callable[[str, list[Record]], tuple[Assessment, date | None]]
"""Gives a subject's assessment and next change from its records (default: the engine;
``registry rescore`` passes the batch scorer's results, checked against the records; a person
with links is always assessed by the engine)."""

_RECORDS, _SUBJECTS, _EVENTS = table(RecordRow), table(Subject), table(RecordEvent)


@dataclass(frozen=True)
class _Statements:
    load: Select[Any]
    known: Select[Any]


def _statements(backend: Backend) -> _Statements:
    """Built once per backend (SQLAlchemy caches their compiled form)."""
    return _Statements(
        load=select(*(_RECORDS.c[name] for name in ENGINE_COLUMNS), _SUBJECTS.c.kind)
        .join_from(_RECORDS, _SUBJECTS, _RECORDS.c.subject_id == _SUBJECTS.c.id)
        .where(backend.in_list(_RECORDS.c.subject_id, "subjects")),
        known=select(_EVENTS.c.record_id, _EVENTS.c.kind).where(
            backend.in_list(_EVENTS.c.record_id, "records"), _EVENTS.c.kind.in_(TIME_EVENTS)
        ),
    )


@dataclass(frozen=True)
class Before:
    """What the subjects' stored state was, and how each one is assessed now."""

    active: ActivePolicies
    scope: Scope
    now: datetime
    known: set[tuple[int, str]]  # (record id, kind) of the time events already written
    old_lists: dict[str, set[str]]  # subject -> the lists it was on
    assessor: Assessor
    restricted: dict[str, dict[str, Any]]  # subject -> service -> decision (feedlog)
    # subject -> service -> digest of the decision rows not deleted (None: all were deleted)
    kept: dict[str, dict[str, str]] | None = None

    def kept_of(self, sid: str) -> dict[str, str] | None:
        """The digests of the subject's decision rows not deleted, by service (taken once);
        None if none was kept."""
        return None if self.kept is None else self.kept.pop(sid, None)


@dataclass(frozen=True)
class Prepared:
    """What a reassessment read, before anything of it is written."""

    before: Before
    subjects: list[str]
    records: dict[str, list[Record]]
    linked: linkrows.PersonLinks = field(default_factory=linkrows.PersonLinks)
    link_events: list[dict[str, Any]] = field(default_factory=list)  # links that expired


def _read(
    conn: Connection, q: _Statements, subjects: list[str], fresh: Mapping[int, Record]
) -> tuple[dict[str, list[Record]], set[tuple[int, str]]]:
    """The subjects' records (those of ``fresh`` from memory) and the time events already
    written for the others."""
    records: dict[str, list[Record]] = defaultdict(list)
    older = []
    for row in conn.execute(q.load, {"subjects": subjects}):
        if row.id not in fresh:  # already written in this transaction: taken from memory
            records[row.subject_id].append(to_record(row, row.kind))
            older.append(row.id)
    for record in fresh.values():
        records[record.subject].append(record)
    known: set[tuple[int, str]] = set()
    if older:
        known = {(a, b) for a, b in conn.execute(q.known, {"records": older})}
    return records, known


def prepare(
    conn: Connection,
    sink: Sink,
    active: ActivePolicies,
    scope: Scope,
    assessor: Assessor | None = None,
) -> Prepared:
    """Read the subjects' records and clear their stored assessments (every statement of a
    reassessment but its writes).

    The sink may keep the stored decision rows (:class:`~socialcredit.registry.store.sink.
    Cleared`): one that the new assessment repeats word for word then stays as it is, and the
    others are deleted before the new rows.

    The caller holds the subjects' locks (``Backend.lock_keys``): :func:`~socialcredit.
    registry.writes.reassess.reassess` takes them, and a submission's chunk takes them with
    its record ids.
    """
    q = backend_of(conn).statements(_statements)
    subjects = list(dict.fromkeys(scope.subjects))
    # the persons linked to these organisations depend on their records
    subjects += linkrows.lock_linked_persons(conn, subjects)
    records, known = _read(conn, q, subjects, scope.fresh)
    linked = linkrows.person_links(conn, subjects, records, list(scope.fresh.values()))
    restricted = restricting(conn, subjects)  # the feed's changes are made against them
    cleared = sink.clear_assessments(subjects)

    def engine(sid: str, records: list[Record]) -> tuple[Assessment, date | None]:
        # The stored kind is the one the identifier was parsed to: no need to parse it again.
        kind = SubjectKind(records[0].subject_kind) if records else parse_subject(sid).kind
        subject = SubjectId(kind, sid)
        links, org_records = linked.of(sid)
        found = [*records, *org_records] if links else records
        return assess_with_next_change(active.policy_set, found, subject, scope.day, links=links)

    def chosen(sid: str, records: list[Record]) -> tuple[Assessment, date | None]:
        # another assessor (the batch rescore) knows no links: a linked person is the engine's
        if assessor is None or sid in linked.links:
            return engine(sid, records)
        return assessor(sid, records)

    now = datetime.now(UTC)
    before = Before(active, scope, now, known, cleared.old_lists, chosen, restricted, cleared.kept)
    expired = linkrows.expiry_events(conn, linked, scope.day, scope.actor, now)
    return Prepared(before, subjects, records, linked, expired)
