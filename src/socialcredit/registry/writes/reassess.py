"""Live assessments: recompute subjects with the engine and store the result.

Called inside the transaction of every write and by the tick. For each subject it stores the
engine's assessment (full JSON, scores, lists, non-``allow`` decisions) with the next date on
which time alone may change it (from the same evaluation: ``engine.assess_with_next_change``,
indexed), records the time-driven status events that have happened (effective, suspended,
expired), and queues list entry and exit notices.

A person's assessment also depends on the organisations it is linked to (principle 7): a
reassessment by the engine adds the persons linked to the organisations it reassesses, and
assesses each person with its links and the linked organisations' records.

A reassessment first reads the subjects' records (with their kind; records written earlier in
the same transaction are passed in, not read back) and the time events already written with one
``SELECT`` each, and has the backend's writer clear the old assessment rows (returning the lists
the subjects were on). Then it assesses the subjects and puts the new rows to the writer, one
bulk insert per table (:mod:`socialcredit.registry.store`). A writer may keep the stored decision
rows: those the new assessment repeats word for word then stay, the others are deleted just
before the new rows. The decisions that denied or restricted the subjects are read first, and
each change of them goes to the feed log (:mod:`socialcredit.registry.writes.feedlog`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import Session

from socialcredit.engine import (
    Assessment,
    Record,
    assess_with_next_change,
)
from socialcredit.identity import SubjectId, SubjectKind, parse_subject
from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.store.backend import Backend, Writer
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.feeds import FeedChange
from socialcredit.registry.store.gcpause import gc_paused
from socialcredit.registry.store.links import LinkEvent
from socialcredit.registry.store.models import (
    AssessmentDecision,
    AssessmentList,
    AssessmentRow,
    AssessmentScore,
    Notice,
    RecordEvent,
    RecordRow,
    Subject,
    table,
)
from socialcredit.registry.writes import linkrows
from socialcredit.registry.writes.assessrows import (
    ENGINE_COLUMNS,
    TIME_EVENTS,
    AssessmentRows,
    add_assessment,
    add_decisions,
    time_events,
    to_record,
)
from socialcredit.registry.writes.feedlog import changes, restricting
from socialcredit.registry.writes.notices import list_notice


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


_RECORDS, _SUBJECTS, _EVENTS = table(RecordRow), table(Subject), table(RecordEvent)
_DECISIONS, _LINK_EVENTS = table(AssessmentDecision), table(LinkEvent)


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


_ASSESSMENTS = table(AssessmentRow)
_TARGETS = {  # in this order, after the assessments
    "scores": table(AssessmentScore),
    "lists": table(AssessmentList),
    "decisions": _DECISIONS,
    "events": _EVENTS,
    "notices": table(Notice),
    "feed": table(FeedChange),
}


Assessor = Callable[[str, list[Record]], tuple[Assessment, date | None]]
"""Gives a subject's assessment and next change from its records (default: the engine;
``registry rescore`` passes the batch scorer's results, checked against the records; a person
with links is always assessed by the engine)."""


@dataclass(frozen=True)
class _Context:
    active: ActivePolicies
    scope: Scope
    now: datetime
    known: set[tuple[int, str]]
    old_lists: dict[str, set[str]]  # subject -> the lists it was on before
    assessor: Assessor
    restricted: dict[str, dict[str, Any]]  # subject -> service -> decision, before (feedlog)
    # subject -> service -> digest of the decision rows not deleted (None: all were deleted)
    kept: dict[str, dict[str, str]] | None = None


def _kept(ctx: _Context, sid: str) -> dict[str, str] | None:
    """The digests of the subject's decision rows not deleted, by service (taken once); None
    if none was kept."""
    return None if ctx.kept is None else ctx.kept.pop(sid, None)


def _one(batch: AssessmentRows, ctx: _Context, sid: str, records: list[Record]) -> None:
    """Assess one subject once (and its next change from the same evaluation)."""
    day = ctx.scope.day
    found, next_on = ctx.assessor(sid, records)
    body = add_assessment(batch, ctx.active, found, next_on, _kept(ctx, sid))
    batch.feed += changes(sid, ctx.restricted.get(sid, {}), body["decisions"], day)
    own = {r.id for r in records}  # a person's assessment also reads linked organisations'
    for key, kind_, on in time_events(found, records, ctx.active, day):
        record_id = int(key[1:])
        if key in own and (record_id, kind_) not in ctx.known:
            batch.events.append(
                {
                    "record_id": record_id,
                    "kind": kind_,
                    "on": on,
                    "at": ctx.now,
                    "actor": ctx.scope.actor,
                    "details": {},
                }
            )
    new_lists = {m["list"]: m for m in body["lists"]}
    before = ctx.old_lists.get(sid, set())
    for lst in sorted(new_lists.keys() - before):
        batch.notices.append(list_notice(sid, "list-entry", new_lists[lst], day, ctx.now))
    for lst in sorted(before - new_lists.keys()):
        batch.notices.append(list_notice(sid, "list-exit", {"list": lst}, day, ctx.now))
    batch.changed_lists += len(new_lists.keys() ^ before)


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


def reassess(
    session: Session, active: ActivePolicies, scope: Scope, assessor: Assessor | None = None
) -> int:
    """Recompute and store the subjects' assessments; return the list changes noticed.

    Every subject is assessed once (by the engine unless ``assessor`` is given); rows are read
    and written with a few Core statements (one ``SELECT`` per table for all subjects, one bulk
    insert per table).
    """
    with gc_paused():
        session.flush()  # the records and events written so far in this transaction
        conn = session.connection()
        backend = backend_of(conn)
        backend.lock_keys(conn, scope.subjects)  # writers of the same subjects take turns
        with (
            backend.key_lookups(conn),
            backend.writer(conn, len(set(scope.subjects))) as out,
        ):
            prepared = prepare(conn, out, active, scope, assessor)
            return write_assessments(prepared, out)


@dataclass(frozen=True)
class Prepared:
    """What a reassessment read, before anything of it is written."""

    context: _Context
    subjects: list[str]
    records: dict[str, list[Record]]
    linked: linkrows.PersonLinks = field(default_factory=linkrows.PersonLinks)
    link_events: list[dict[str, Any]] = field(default_factory=list)  # links that expired


def prepare(
    conn: Connection,
    out: Writer,
    active: ActivePolicies,
    scope: Scope,
    assessor: Assessor | None = None,
) -> Prepared:
    """Read the subjects' records and clear their stored assessments (every statement of a
    reassessment but its inserts, which :func:`write_assessments` makes).

    The writer may keep the stored decision rows (:class:`~socialcredit.registry.store.
    backend.Cleared`): one that the new assessment repeats word for word then stays as it is,
    and the others are deleted before the new rows.

    The caller holds the subjects' locks (``Backend.lock_keys``): :func:`reassess` takes them,
    and a submission's chunk takes them with its record ids.
    """
    q = backend_of(conn).statements(_statements)
    subjects = list(dict.fromkeys(scope.subjects))
    # the persons linked to these organisations depend on their records
    subjects += linkrows.lock_linked_persons(conn, subjects)
    records, known = _read(conn, q, subjects, scope.fresh)
    linked = linkrows.person_links(conn, subjects, records, list(scope.fresh.values()))
    before = restricting(conn, subjects)  # the feed's changes are made against them
    cleared = out.clear_assessments(subjects)

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
    ctx = _Context(active, scope, now, known, cleared.old_lists, chosen, before, cleared.kept)
    expired = linkrows.expiry_events(conn, linked, scope.day, scope.actor, now)
    return Prepared(ctx, subjects, records, linked, expired)


# The rows assessed so far are put when the engine has assessed these shares of the subjects
# (and at the end), so that a writer sending in the background stores them while the engine
# assesses the next ones, and little is left to store once it is done; a part is at least
# STEP_MIN subjects (each put costs the server a statement).
SHARES = (0.5, 0.8)
STEP_MIN = 50


def _cuts(count: int, background: bool) -> frozenset[int]:
    """After which subjects (1-based) the rows so far are put (a writer storing at once: at the
    end only, one insert per table)."""
    if not background:
        return frozenset()
    found, last = set(), 0
    for share in SHARES:
        cut = int(count * share)
        if cut - last >= STEP_MIN and count - cut >= STEP_MIN:
            found.add(cut)
            last = cut
    return frozenset(found)


def write_assessments(prepared: Prepared, out: Writer) -> int:
    """Assess every prepared subject and insert its rows; return the list changes."""
    batch, changed = AssessmentRows(), 0
    cuts = _cuts(len(prepared.subjects), out.background)
    for n, sid in enumerate(prepared.subjects, 1):
        records = prepared.records.get(sid)
        if records or prepared.linked.links.get(sid):
            _one(batch, prepared.context, sid, records or [])
        else:  # no record nor link left (retention): no stored assessment, no decision kept
            add_decisions(batch, sid, {}, _kept(prepared.context, sid))
            restricted = prepared.context.restricted.get(sid, {})
            batch.feed += changes(sid, restricted, {}, prepared.context.scope.day)
        if n in cuts:
            changed += _put(out, batch)
            batch = AssessmentRows()
        out.poll()
    out.put(_LINK_EVENTS, prepared.link_events)
    return changed + _put(out, batch)


def _put(out: Writer, batch: AssessmentRows) -> int:
    out.put(_ASSESSMENTS, batch.assessments)
    if batch.stale:
        out.delete_pairs(_DECISIONS, ("subject_id", "service"), batch.stale)
    for name, target in _TARGETS.items():
        out.put(target, getattr(batch, name))
    return batch.changed_lists
