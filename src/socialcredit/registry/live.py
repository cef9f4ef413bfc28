"""Live assessments: recompute subjects with the engine and store the result.

Called inside the transaction of every write and by the tick. For each subject it stores the
engine's assessment (full JSON, scores, lists, non-``allow`` decisions) with the next date on
which time alone may change it (``engine.next_change_after``, indexed), records the time-driven
status events that have happened (effective, suspended, expired), and queues list entry and exit
notices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import BindParameter, Connection, Row, bindparam, delete, insert, select
from sqlalchemy.orm import Session

from socialcredit.engine import (
    RECORD_FIELDS,
    Assessment,
    DisputeOutcome,
    Record,
    assess_with_next_change,
)
from socialcredit.registry.models import (
    AssessmentDecision,
    AssessmentList,
    AssessmentRow,
    AssessmentScore,
    Notice,
    RecordEvent,
    RecordRow,
    Subject,
    record_key,
    table,
)
from socialcredit.registry.notices import list_notice
from socialcredit.registry.policystore import ActivePolicies

TIME_EVENTS = ("effective", "suspended", "expired")
# The record row's columns the engine reads: its fields, keyed by the row id and subject_id.
ENGINE_COLUMNS = ("id", "subject_id", *(f for f in RECORD_FIELDS if f not in ("id", "subject")))
ASSESSMENT_TABLES = (AssessmentScore, AssessmentList, AssessmentDecision, AssessmentRow)


def to_record(row: RecordRow | Row[Any], kind: str) -> Record:
    """The engine's view of a stored record; its id is the registry key ``r<id>``."""
    return Record(
        id=record_key(row.id),
        subject=row.subject_id,
        subject_kind=kind,
        item=row.item,
        decided_on=row.decided_on,
        authority=row.authority,
        reference=row.reference,
        notified_on=row.notified_on,
        amount=None if row.amount is None else Decimal(row.amount),
        resolved_on=row.resolved_on,
        revoked_on=row.revoked_on,
        disputed_on=row.disputed_on,
        dispute_decided_on=row.dispute_decided_on,
        dispute_outcome=None
        if row.dispute_outcome is None
        else DisputeOutcome(row.dispute_outcome),
    )


@dataclass
class _Batch:
    """Rows to insert for a set of reassessed subjects."""

    assessments: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    lists: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)
    changed_lists: int = 0


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _materialise(
    batch: _Batch, active: ActivePolicies, found: Assessment, next_on: date | None
) -> dict[str, Any]:
    body = found.to_dict()
    sid = found.subject
    batch.assessments.append(
        {
            "subject_id": sid,
            "as_of": found.as_of,
            "next_change_on": next_on,
            "policy_versions": list(active.hashes),
            "body": body,
        }
    )
    batch.scores += [
        {
            "subject_id": sid,
            "model": model,
            "policy_id": active.model_policy.get(model, ""),
            "value": s["value"],
            "grade": s["grade"],
        }
        for model, s in body["scores"].items()
    ]
    batch.lists += [
        {
            "subject_id": sid,
            "list_id": m["list"],
            "policy_id": active.list_policy.get(m["list"], ""),
            "kind": m["kind"],
            "since": _date(m["since"]),
            "until": _date(m["until"]),
        }
        for m in body["lists"]
    ]
    batch.decisions += [
        {"subject_id": sid, "service": service, "effect": d["effect"], "decision": d}
        for service, d in body["decisions"].items()
        if d["effect"] != "allow"
    ]
    return body


def _time_events(
    row: Row[Any], state: dict[str, Any], review_days: int, day: date
) -> list[tuple[str, date]]:
    effective, until = (date.fromisoformat(state[k]) for k in ("effective_from", "counts_until"))
    found = []
    if effective < until and effective <= day:
        found.append(("effective", effective))
    if state["status"] == "expired":
        found.append(("expired", until))
    if row.disputed_on is not None:
        deadline = row.disputed_on + timedelta(days=review_days)
        decided = row.dispute_decided_on
        if deadline <= day and (decided is None or decided > deadline):
            found.append(("suspended", deadline))
    return found


@dataclass(frozen=True)
class Scope:
    """The subjects to reassess, on which day, by whom."""

    subjects: Sequence[str]
    day: date
    actor: str


def _ids(name: str) -> BindParameter[Any]:
    return bindparam(name, expanding=True)


# Statements built once (SQLAlchemy caches their compiled form) and run with Core.
_RECORDS, _SUBJECTS, _EVENTS = table(RecordRow), table(Subject), table(RecordEvent)
_LOAD = select(*(_RECORDS.c[name] for name in ENGINE_COLUMNS)).where(
    _RECORDS.c.subject_id.in_(_ids("subjects"))
)
_KINDS = select(_SUBJECTS.c.id, _SUBJECTS.c.kind).where(_SUBJECTS.c.id.in_(_ids("subjects")))
_KNOWN = select(_EVENTS.c.record_id, _EVENTS.c.kind).where(
    _EVENTS.c.record_id.in_(_ids("records")), _EVENTS.c.kind.in_(TIME_EVENTS)
)
_LISTS = table(AssessmentList)
_OLD_LISTS = select(_LISTS.c.subject_id, _LISTS.c.list_id).where(
    _LISTS.c.subject_id.in_(_ids("subjects"))
)
_DELETES = [
    delete(t).where(t.c.subject_id.in_(_ids("subjects")))
    for t in (table(m) for m in ASSESSMENT_TABLES)
]
_INSERTS = {
    name: insert(table(model))
    for name, model in (
        ("assessments", AssessmentRow),
        ("scores", AssessmentScore),
        ("lists", AssessmentList),
        ("decisions", AssessmentDecision),
        ("events", RecordEvent),
        ("notices", Notice),
    )
}


def _load(
    conn: Connection, subjects: Sequence[str]
) -> tuple[dict[str, list[Row[Any]]], dict[str, str]]:
    rows: dict[str, list[Row[Any]]] = defaultdict(list)
    for row in conn.execute(_LOAD, {"subjects": subjects}):
        rows[row.subject_id].append(row)
    kinds = {sid: kind for sid, kind in conn.execute(_KINDS, {"subjects": subjects})}
    return rows, kinds


def _stale_events(batch: _Batch, rows: list[Row[Any]], body: dict[str, Any], ctx: _Context) -> None:
    states = {s["record"]: s for s in body["records"]}
    for row in rows:
        state = states.get(record_key(row.id))
        if state is None:
            continue
        review = ctx.active.policies.review_days(row.item)
        for kind, on in _time_events(row, state, review, ctx.scope.day):
            if (row.id, kind) not in ctx.known:
                batch.events.append(
                    {
                        "record_id": row.id,
                        "kind": kind,
                        "on": on,
                        "at": ctx.now,
                        "actor": ctx.scope.actor,
                        "details": {},
                    }
                )


@dataclass(frozen=True)
class _Context:
    active: ActivePolicies
    scope: Scope
    now: datetime
    known: set[tuple[int, str]]
    old_lists: dict[str, set[str]]  # subject -> the lists it was on before


def _one(batch: _Batch, ctx: _Context, sid: str, rows: list[Row[Any]], kind: str) -> None:
    """Assess one subject once (and its next change from the same records)."""
    policies, day = ctx.active.policies, ctx.scope.day
    records = [to_record(r, kind) for r in rows]
    found, next_on = assess_with_next_change(policies, records, sid, day)
    body = _materialise(batch, ctx.active, found, next_on)
    _stale_events(batch, rows, body, ctx)
    new_lists = {m["list"]: m for m in body["lists"]}
    before = ctx.old_lists.get(sid, set())
    for lst in sorted(new_lists.keys() - before):
        batch.notices.append(list_notice(sid, "list-entry", new_lists[lst], day, ctx.now))
    for lst in sorted(before - new_lists.keys()):
        batch.notices.append(list_notice(sid, "list-exit", {"list": lst}, day, ctx.now))
    batch.changed_lists += len(new_lists.keys() ^ before)


def reassess(session: Session, active: ActivePolicies, scope: Scope) -> int:
    """Recompute and store the subjects' assessments; return the list changes noticed.

    Every subject is assessed once; rows are read and written with a few Core statements
    (one ``SELECT`` per table for all subjects, one executemany ``INSERT`` per table).
    """
    session.flush()  # the records and events written so far in this transaction
    conn = session.connection()
    subjects = list(dict.fromkeys(scope.subjects))
    rows, kinds = _load(conn, subjects)
    record_ids = [r.id for rs in rows.values() for r in rs]
    known = {(a, b) for a, b in conn.execute(_KNOWN, {"records": record_ids})}
    old_lists: dict[str, set[str]] = defaultdict(set)
    for sid, lst in conn.execute(_OLD_LISTS, {"subjects": subjects}):
        old_lists[sid].add(lst)
    for statement in _DELETES:
        conn.execute(statement, {"subjects": subjects})
    batch = _Batch()
    ctx = _Context(active, scope, datetime.now(UTC), known, old_lists)
    for sid in subjects:
        if rows.get(sid):  # no record left (retention): no stored assessment
            _one(batch, ctx, sid, rows[sid], kinds[sid])
    for name, inserting in _INSERTS.items():
        values = getattr(batch, name)
        if values:
            conn.execute(inserting, values)
    return batch.changed_lists
