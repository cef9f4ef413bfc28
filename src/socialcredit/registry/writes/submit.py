"""Submitting records: one transaction per chunk of lines.

The lines are read, validated, scoped to the agency and classified against what the registry
holds by :mod:`.intake`; a chunk's new records are then stored with their subjects, status
events, notices, the reassessment of their subjects and their audit entries, or not at all (a
killed process leaves each record whole or absent).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from socialcredit.engine import NoticeState, Record
from socialcredit.errors import Problem, RecordConflictError, RecordError
from socialcredit.policy.vocabulary import Polarity
from socialcredit.registry.audit import AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.gcpause import gc_paused
from socialcredit.registry.writes.intake import (
    Candidate,
    LineOutcome,
    RawLine,
    Submission,
    SubmitReport,
    candidates_of,
    check_lines,
    chunks,
    classify,
    known_statements,
    not_after,
    payload_of,
    record_keys_of,
    source_hash,
)
from socialcredit.registry.writes.linkrows import lock_in_turn
from socialcredit.registry.writes.notices import record_notice_body

__all__ = [
    "LineOutcome",
    "RawLine",
    "Submission",
    "SubmitReport",
    "payload_of",
    "source_hash",
    "submit_lines",
    "submit_record",
]
from socialcredit.registry.store.models import (
    Notice,
    RecordEvent,
    RecordRow,
    Subject,
    record_key,
    table,
)
from socialcredit.registry.store.sink import Rows
from socialcredit.registry.writes.assessmentwrites import AssessmentWrites
from socialcredit.registry.writes.events import event_values, submitted_events
from socialcredit.registry.writes.notices import notice_values
from socialcredit.registry.writes.orgcodes import resolve_candidates
from socialcredit.registry.writes.quarantine_sink import Quarantine
from socialcredit.registry.writes.reassessinput import Scope, prepare
from socialcredit.registry.writes.retention_rules import retain_until


def _service(record: Record, active: ActivePolicies) -> tuple[date | None, str | None]:
    """The stored notice date and state: a negative record whose notice the agency does not
    attest as served is served by the registry's notice, and is ``pending`` until then."""
    item = active.policy_set.items[record.item]
    state = None if record.notice is None else str(record.notice)
    if item.polarity is not Polarity.NEGATIVE or record.notified_on is not None:
        return record.notified_on, state
    return None, str(NoticeState.PENDING)


def _values(c: Candidate, sub: Submission, active: ActivePolicies, now: datetime) -> dict[str, Any]:
    """The column values of a new record row."""
    r = c.record
    notified, notice = _service(r, active)
    stored = replace(
        r, notified_on=notified, notice=None if notice is None else NoticeState(notice)
    )
    return {
        "agency": sub.agency,
        "source_id": r.id,
        "subject_id": r.subject,
        "item": r.item,
        "authority": r.authority,
        "reference": r.reference,
        "amount": None if r.amount is None else str(r.amount),
        "decided_on": r.decided_on,
        "notified_on": notified,
        "notice": notice,
        "resolved_on": r.resolved_on,
        "revoked_on": r.revoked_on,
        "disputed_on": r.disputed_on,
        "dispute_decided_on": r.dispute_decided_on,
        "dispute_outcome": None if r.dispute_outcome is None else str(r.dispute_outcome),
        "payload": c.payload,
        "payload_sha256": c.sha256,
        "policy_versions": active.hashes_list,
        "retain_until": retain_until(active.policy_set, stored),
        "registered_at": now,
    }


_RECORDS, _SUBJECTS = table(RecordRow), table(Subject)
_EVENTS, _NOTICES = table(RecordEvent), table(Notice)


def _new_subjects(
    conn: Connection, records: Iterable[Record], now: datetime
) -> list[dict[str, Any]]:
    """The subject rows to insert: the records' subjects the registry does not hold yet."""
    kinds = {r.subject: r.subject_kind for r in records}
    q = backend_of(conn).statements(known_statements)
    found = conn.execute(q.subjects, {"ids": list(kinds)}).scalars()
    known = set(found)
    return [{"id": s, "kind": k, "created_at": now} for s, k in kinds.items() if s not in known]


@dataclass(frozen=True)
class _When:
    """Who registers, on which registry date, at what time."""

    sub: Submission
    today: date
    now: datetime


@dataclass
class _Written:
    """What registering a chunk's new records writes besides their rows."""

    events: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)
    audit: list[AuditEvent] = field(default_factory=list)


def _fresh(ids: list[int], rows: list[dict[str, Any]], new: list[Candidate]) -> dict[int, Record]:
    """The new records as the engine reads them back (stored notice date, registry key)."""
    return {
        record_id: replace(
            c.record,
            id=record_key(record_id),
            notified_on=row["notified_on"],
            notice=None if row["notice"] is None else NoticeState(row["notice"]),
        )
        for record_id, row, c in zip(ids, rows, new, strict=True)
    }


def _children(
    ids: list[int], rows: list[dict[str, Any]], active: ActivePolicies, when: _When
) -> _Written:
    """The status events, notices and audit events of the new records."""
    out = _Written()
    sub, today, now = when.sub, when.today, when.now
    for record_id, row in zip(ids, rows, strict=True):
        item = active.policy_set.items[row["item"]]
        negative = item.polarity is Polarity.NEGATIVE
        for kind, on, details in submitted_events(row, today, negative):
            out.events.append(event_values(record_id, kind, on, now, sub.actor.name, details))
        if negative:
            body = record_notice_body(record_id, row, active.policy_set)
            out.notices.append(
                notice_values(row["subject_id"], "record", body, today, now, record_id)
            )
        details = {"record": record_key(record_id), "agency": sub.agency, "item": row["item"]}
        out.audit.append(AuditEvent("write.record.register", row["subject_id"], details))
    return out


@dataclass(frozen=True)
class _Under:
    """Under which policies, from whom, a chunk's new records are registered."""

    reg: Registry
    active: ActivePolicies
    sub: Submission


def _register(session: Session, under: _Under, new: list[Candidate]) -> None:
    """Store the new records, their subjects, events, notices and the reassessment of their
    subjects, then the audit entries."""
    reg, active, sub = under.reg, under.active, under.sub
    when = _When(sub, reg.state(session).as_of, datetime.now(UTC))
    conn = session.connection()
    backend = backend_of(conn)
    rows = [_values(c, sub, active, when.now) for c in new]
    subject_rows = _new_subjects(conn, (c.record for c in new), when.now)
    ids = backend.allocate_ids(conn, _RECORDS, len(rows))
    record_rows = [{"id": i} | row for i, row in zip(ids, rows, strict=True)]
    subjects = sorted({r["subject_id"] for r in rows})
    # the new records are passed in, not read
    scope = Scope(subjects, when.today, sub.actor.name, fresh=_fresh(ids, rows, new))
    with backend.sink(conn, len(record_rows)) as sink:
        prepared = prepare(conn, sink, active, scope)
        sink.write([(Rows(_SUBJECTS, subject_rows), Rows(_RECORDS, record_rows))])
        written = _children(ids, rows, active, when)
        sink.write([(Rows(_EVENTS, written.events), Rows(_NOTICES, written.notices))])
        sink.write(AssessmentWrites(prepared))
    append(session, sub.actor, written.audit)


@dataclass(frozen=True)
class _Pass:
    """One transaction's work: a chunk of lines (``seen``: the record ids of the submission
    so far), or the records filed under an organisation code left for the last try."""

    lines: list[tuple[int, RawLine]] | None = None
    seen: dict[str, int] = field(default_factory=dict)
    later: list[Candidate] = field(default_factory=list)
    quarantine: Quarantine | None = None


def _transaction(
    reg: Registry, sub: Submission, work: _Pass, report: SubmitReport
) -> list[Candidate]:
    """Store one chunk's new records (or the last try's); return the records to try later."""
    start = len(report.outcomes)
    with gc_paused(), reg.session() as session, session.begin():
        active, today = reg.policies(session), reg.state(session).as_of
        candidates = work.later
        if work.lines is not None:
            checked = not_after(check_lines(work.lines, active, sub.agency), today)
            candidates = candidates_of(checked, work.seen, report)
        conn = session.connection()
        resolved = resolve_candidates(conn, candidates, final=work.lines is None)
        report.outcomes += resolved.refused
        candidates = resolved.candidates
        backend = backend_of(conn)
        with backend.key_lookups(conn):  # the chunk's lookups, one block
            kinds = {c.record.subject: c.record.subject_kind for c in candidates}
            lock_in_turn(conn, list(kinds), record_keys_of(candidates, sub.agency), kinds)
            new = classify(session, sub, candidates, report) if candidates else []
            if new:
                _register(session, _Under(reg, active, sub), new)
        report.outcomes += [
            LineOutcome(c.line, c.record.id, "registered", (), c.warnings) for c in new
        ]
        if work.quarantine is not None:
            work.quarantine.write(session, report.outcomes[start:], today, sub.actor)
    return resolved.later


def submit_lines(
    reg: Registry,
    lines: Iterable[tuple[int, RawLine]],
    sub: Submission,
    progress: Callable[[int], None] | None = None,
    quarantine: Quarantine | None = None,
) -> SubmitReport:
    """Submit raw records; every line gets an outcome. One transaction per chunk (and one
    more for the records filed under an organisation code whose credit code came later), in
    which the refused lines go to ``quarantine`` (when given)."""
    report = SubmitReport()
    seen: dict[str, int] = {}
    later: list[Candidate] = []
    for chunk in chunks(lines, reg.settings.chunk_size):
        done = _transaction(reg, sub, _Pass(chunk, seen, quarantine=quarantine), report)
        later += done
        if quarantine is not None:
            waiting = {c.line for c in done}
            quarantine.release([line for line, _ in chunk if line not in waiting])
        if progress is not None:
            progress(len(chunk))
    if later:
        _transaction(reg, sub, _Pass(later=later, quarantine=quarantine), report)
        if quarantine is not None:
            quarantine.release([c.line for c in later])
    report.outcomes.sort(key=lambda o: o.line)
    return report


def submit_record(reg: Registry, raw: Mapping[str, Any], sub: Submission) -> str:
    """Submit one record: ``registered`` or ``unchanged``; raise if it is refused."""
    outcome = submit_lines(reg, [(1, raw)], sub).outcomes[0]
    if outcome.status != "refused":
        return outcome.status
    message = "; ".join(outcome.reasons)
    if outcome.conflict:
        raise RecordConflictError(message, {"record": outcome.record_id, "agency": sub.agency})
    problem = Problem("submission", "record", message)
    raise RecordError(f"record {outcome.record_id!r} was refused", [problem])
