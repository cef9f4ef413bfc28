"""Submitting records: validation, agency scoping, idempotency, and registration.

A record is identified by (source agency, source record id). The same payload again is
``unchanged`` (nothing is written); a different payload under the same id is refused. The
payload compared is the record's fields with surrounding spaces and empty values removed, so the
same record sent as JSON Lines or as CSV is the same payload. Each chunk of a file is one
transaction: a record is either stored with its events, notice, assessment and audit entry, or
not at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import Connection, Select, bindparam, select
from sqlalchemy.orm import Session

from socialcredit.engine import RECORD_FIELDS, Record, validate_record
from socialcredit.errors import Problem, RecordConflictError, RecordError
from socialcredit.policy.vocabulary import Polarity
from socialcredit.registry.audit import Actor, AuditEvent, append, canonical
from socialcredit.registry.context import Registry
from socialcredit.registry.events import event_values, submitted_events
from socialcredit.registry.live import Scope, prepare, write_assessments
from socialcredit.registry.models import (
    Notice,
    RecordEvent,
    RecordRow,
    RetiredRecord,
    Subject,
    record_key,
    table,
)
from socialcredit.registry.notices import notice_values
from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.retention_rules import retain_until
from socialcredit.registry.store.backend import Backend
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.gcpause import gc_paused

RawLine = Mapping[str, Any] | str  # a raw record, or why its line could not be read


@dataclass(frozen=True)
class LineOutcome:
    line: int
    record_id: str | None
    status: str  # registered | unchanged | refused
    reasons: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    conflict: bool = False


@dataclass
class SubmitReport:
    outcomes: list[LineOutcome] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    @property
    def refused(self) -> list[LineOutcome]:
        return [o for o in self.outcomes if o.status == "refused"]


@dataclass(frozen=True)
class _Candidate:
    line: int
    record: Record
    payload: dict[str, str]
    sha256: str
    warnings: tuple[str, ...]


def payload_of(raw: Mapping[str, Any]) -> dict[str, str]:
    """The compared payload: known fields, stripped, empty values left out."""
    out = {}
    for key in RECORD_FIELDS:
        value = raw.get(key)
        text = "" if value is None else str(value).strip()
        if text:
            out[key] = text
    return out


def source_hash(agency: str, source_id: str) -> str:
    return hashlib.sha256(canonical({"agency": agency, "id": source_id})).hexdigest()


def _check(
    line: int, raw: RawLine, policies: ActivePolicies, agency: str
) -> _Candidate | LineOutcome:
    if isinstance(raw, str):
        return LineOutcome(line, None, "refused", (raw,))
    checked = validate_record(raw, policies.policies)
    item = policies.policies.items.get(str(raw.get("item") or "").strip())
    if item is not None and item.authority != agency:
        checked.reasons.append(
            f"agency {agency!r} does not establish item {item.code!r} (its authority is "
            f"{item.authority!r}); agencies submit only their own items (principle 12)"
        )
    record_id = None if raw.get("id") is None else str(raw.get("id")).strip()
    if checked.reasons or checked.record is None:
        return LineOutcome(line, record_id, "refused", tuple(checked.reasons))
    payload = payload_of(raw)
    digest = hashlib.sha256(canonical(payload)).hexdigest()
    return _Candidate(line, checked.record, payload, digest, tuple(checked.warnings))


@dataclass(frozen=True)
class Submission:
    """Who submits: the agency (matched exactly against an item's ``authority``) and actor."""

    agency: str
    actor: Actor


_RECORDS, _SUBJECTS, _RETIRED = table(RecordRow), table(Subject), table(RetiredRecord)


@dataclass(frozen=True)
class _Known:
    """What the registry already holds of a chunk's records and subjects."""

    records: Select[Any]
    retired: Select[Any]
    subjects: Select[Any]


def _known_statements(backend: Backend) -> _Known:
    """Built once per backend (SQLAlchemy caches their compiled form)."""
    return _Known(
        records=select(_RECORDS.c.source_id, _RECORDS.c.payload_sha256).where(
            _RECORDS.c.agency == bindparam("agency"),
            backend.in_list(_RECORDS.c.source_id, "ids"),
        ),
        retired=select(_RETIRED.c.source_hash).where(
            backend.in_list(_RETIRED.c.source_hash, "hashes")
        ),
        subjects=select(_SUBJECTS.c.id).where(backend.in_list(_SUBJECTS.c.id, "ids")),
    )


def _known(
    conn: Connection, agency: str, candidates: list[_Candidate]
) -> tuple[dict[str, str], set[str]]:
    """The payload hashes of the candidates already registered, and the ids of those that
    retention deleted, by the agency's record id."""
    q = backend_of(conn).statements(_known_statements)
    ids = [c.record.id for c in candidates]
    existing = {
        source: sha for source, sha in conn.execute(q.records, {"agency": agency, "ids": ids})
    }
    by_hash = {source_hash(agency, i): i for i in ids}
    found = conn.execute(q.retired, {"hashes": list(by_hash)}).scalars()
    return existing, {by_hash[h] for h in found}


def _classify(
    session: Session, sub: Submission, candidates: list[_Candidate], report: SubmitReport
) -> list[_Candidate]:
    """Tell new records from those already registered (unchanged, or a conflict) or deleted
    by retention; report the others and return the new ones."""
    existing, retired = _known(session.connection(), sub.agency, candidates)
    new = []
    for c in candidates:
        rid = c.record.id
        if rid in retired:
            reason = f"record {rid!r} of {sub.agency!r} was deleted by retention"
            report.outcomes.append(LineOutcome(c.line, rid, "refused", (reason,)))
        elif rid not in existing:
            new.append(c)
        elif existing[rid] == c.sha256:
            report.outcomes.append(LineOutcome(c.line, rid, "unchanged", (), c.warnings))
        else:
            reason = (
                f"record {rid!r} of {sub.agency!r} is already registered with a different "
                "payload; change a registered record with `records resolve|revoke|dispute|"
                "decide-dispute`, or submit the correction under a new id"
            )
            report.outcomes.append(LineOutcome(c.line, rid, "refused", (reason,), conflict=True))
    return new


def _notified_on(record: Record, active: ActivePolicies, today: date) -> date | None:
    item = active.policies.items[record.item]
    if item.polarity is not Polarity.NEGATIVE or record.notified_on is not None:
        return record.notified_on
    return max(record.decided_on, today)  # served by the registry's notice, today


def _values(
    c: _Candidate, sub: Submission, active: ActivePolicies, today: date, now: datetime
) -> dict[str, Any]:
    """The column values of a new record row."""
    r = c.record
    notified = _notified_on(r, active, today)
    stored = r if notified == r.notified_on else replace(r, notified_on=notified)
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
        "resolved_on": r.resolved_on,
        "revoked_on": r.revoked_on,
        "disputed_on": r.disputed_on,
        "dispute_decided_on": r.dispute_decided_on,
        "dispute_outcome": None if r.dispute_outcome is None else str(r.dispute_outcome),
        "payload": c.payload,
        "payload_sha256": c.sha256,
        "policy_versions": active.hashes_list,
        "retain_until": retain_until(active.policies, stored),
        "registered_at": now,
    }


_EVENTS, _NOTICES = table(RecordEvent), table(Notice)


def _new_subjects(
    conn: Connection, records: Iterable[Record], now: datetime
) -> list[dict[str, Any]]:
    """The subject rows to insert: the records' subjects the registry does not hold yet."""
    kinds = {r.subject: r.subject_kind for r in records}
    q = backend_of(conn).statements(_known_statements)
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


def _fresh(ids: list[int], rows: list[dict[str, Any]], new: list[_Candidate]) -> dict[int, Record]:
    """The new records as the engine reads them back (stored notice date, registry key)."""
    return {
        record_id: replace(c.record, id=record_key(record_id), notified_on=row["notified_on"])
        for record_id, row, c in zip(ids, rows, new, strict=True)
    }


def _children(
    ids: list[int], rows: list[dict[str, Any]], active: ActivePolicies, when: _When
) -> _Written:
    """The status events, notices and audit events of the new records."""
    out = _Written()
    sub, today, now = when.sub, when.today, when.now
    for record_id, row in zip(ids, rows, strict=True):
        item = active.policies.items[row["item"]]
        negative = item.polarity is Polarity.NEGATIVE
        for kind, on, details in submitted_events(row, today, negative):
            out.events.append(event_values(record_id, kind, on, now, sub.actor.name, details))
        if negative:
            review = active.policies.review_days(row["item"])
            body = record_notice_body(record_id, row, item.title, review)
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


def _register(session: Session, under: _Under, new: list[_Candidate]) -> None:
    """Store the new records, their subjects, events, notices and the reassessment of their
    subjects, then the audit entries."""
    reg, active, sub = under.reg, under.active, under.sub
    when = _When(sub, reg.state(session).as_of, datetime.now(UTC))
    conn = session.connection()
    backend = backend_of(conn)
    rows = [_values(c, sub, active, when.today, when.now) for c in new]
    subject_rows = _new_subjects(conn, (c.record for c in new), when.now)
    ids = backend.allocate_ids(conn, _RECORDS, len(rows))
    record_rows = [{"id": i} | row for i, row in zip(ids, rows, strict=True)]
    subjects = sorted({r["subject_id"] for r in rows})
    # the new records are passed in, not read
    scope = Scope(subjects, when.today, sub.actor.name, fresh=_fresh(ids, rows, new))
    with backend.writer(conn, len(record_rows)) as out:
        prepared = prepare(conn, out, active, scope)
        out.put(_SUBJECTS, subject_rows)
        out.put(_RECORDS, record_rows)
        written = _children(ids, rows, active, when)
        out.put(_EVENTS, written.events)
        out.put(_NOTICES, written.notices)
        write_assessments(prepared, out)
    append(session, sub.actor, written.audit)


def record_notice_body(
    record_id: int, row: Mapping[str, Any], title: str, review_days: int
) -> dict[str, Any]:
    notified = row["notified_on"]
    return {
        "record": record_key(record_id),
        "item": row["item"],
        "title": title,
        "authority": row["authority"],
        "reference": row["reference"],
        "decided_on": row["decided_on"].isoformat(),
        "notified_on": None if notified is None else notified.isoformat(),
        "objection": f"you may object to this record; an objection is decided within "
        f"{review_days} days, and suspends the record if it is not",
    }


def _chunks(lines: Iterable[tuple[int, RawLine]], size: int) -> Iterator[list[tuple[int, RawLine]]]:
    it = iter(lines)
    while chunk := list(islice(it, size)):
        yield chunk


_Checked = _Candidate | LineOutcome
_Lines = list[tuple[int, RawLine]]


def _candidates(
    checked: list[_Checked], seen: dict[str, int], report: SubmitReport
) -> list[_Candidate]:
    """The valid records of a chunk, each record id once in the whole submission."""
    candidates = []
    for found in checked:
        if isinstance(found, LineOutcome):
            report.outcomes.append(found)
        elif found.record.id in seen:
            first = seen[found.record.id]
            reason = f"record id {found.record.id!r} already appears on line {first}"
            report.outcomes.append(LineOutcome(found.line, found.record.id, "refused", (reason,)))
        else:
            seen[found.record.id] = found.line
            candidates.append(found)
    return candidates


def _check_all(chunk: _Lines, active: ActivePolicies, agency: str) -> list[_Checked]:
    return [_check(line, raw, active, agency) for line, raw in chunk]


def _lock_keys(candidates: list[_Candidate], agency: str) -> list[str]:
    """What a chunk locks: its records' subjects and its agency record ids."""
    subjects = [c.record.subject for c in candidates]
    return subjects + [f"record:{source_hash(agency, c.record.id)}" for c in candidates]


def submit_lines(
    reg: Registry,
    lines: Iterable[tuple[int, RawLine]],
    sub: Submission,
    progress: Callable[[int], None] | None = None,
) -> SubmitReport:
    """Submit raw records; every line gets an outcome. One transaction per chunk."""
    report = SubmitReport()
    seen: dict[str, int] = {}
    for chunk in _chunks(lines, reg.settings.chunk_size):
        with gc_paused(), reg.session() as session, session.begin():
            active = reg.policies(session)
            candidates = _candidates(_check_all(chunk, active, sub.agency), seen, report)
            conn = session.connection()
            backend = backend_of(conn)
            with backend.key_lookups(conn):  # the chunk's lookups, one block
                backend.lock_keys(conn, _lock_keys(candidates, sub.agency))
                new = _classify(session, sub, candidates, report) if candidates else []
                if new:
                    _register(session, _Under(reg, active, sub), new)
            report.outcomes += [
                LineOutcome(c.line, c.record.id, "registered", (), c.warnings) for c in new
            ]
        if progress is not None:
            progress(len(chunk))
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
