"""Reads of a subject's data, each one audited: the file, a check at a service, accesses.

``check`` reads the materialised decision (no recomputation): a service without a stored
decision row allows the subject. A subject the registry holds nothing about is assessed by the
engine on the spot with no records (the base scores, every service ``allow``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from psycopg.types.json import Json
from sqlalchemy import Connection, and_, bindparam, func, select
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from socialcredit.engine import assess
from socialcredit.errors import NotFoundError
from socialcredit.identity import parse_subject
from socialcredit.registry.audit import (
    AUDIT_INSERT,
    MOVE_HEAD,
    Actor,
    AuditEvent,
    Head,
    accesses,
    append,
    chain,
    write_chain,
)
from socialcredit.registry.bulk import is_postgres
from socialcredit.registry.context import Registry
from socialcredit.registry.events import history
from socialcredit.registry.models import (
    AssessmentDecision,
    AssessmentRow,
    AuditEntry,
    Notice,
    PolicyVersion,
    RecordEvent,
    RecordRow,
    RegistryState,
    table,
)
from socialcredit.registry.policystore import ActivePolicies


@dataclass(frozen=True)
class SubjectFile:
    """Everything the registry holds about one subject."""

    subject: str
    kind: str
    registry_date: str
    records: list[RecordRow]
    events: dict[int, list[RecordEvent]]
    assessment: dict[str, Any]
    next_change_on: str | None
    notices: list[Notice]


def _assessment(
    session: Session, reg: Registry, subject: str, today: date
) -> tuple[dict[str, Any], str | None]:
    row = session.get(AssessmentRow, subject)
    if row is not None:
        nxt = None if row.next_change_on is None else row.next_change_on.isoformat()
        return row.body, nxt
    return assess(reg.policies(session).policies, [], subject, today).to_dict(), None


def subject_file(reg: Registry, subject: str, actor: Actor) -> SubjectFile:
    """The whole file of ``subject`` (records with history, assessment, notices); audited."""
    sid = parse_subject(subject)
    with reg.session() as session, session.begin():
        state = reg.state(session)
        query = select(RecordRow).where(RecordRow.subject_id == sid.value).order_by(RecordRow.id)
        records = list(session.execute(query).scalars())
        body, nxt = _assessment(session, reg, sid.value, state.as_of)
        notices = session.execute(
            select(Notice).where(Notice.subject_id == sid.value).order_by(Notice.id)
        ).scalars()
        found = SubjectFile(
            subject=sid.value,
            kind=str(sid.kind),
            registry_date=state.as_of.isoformat(),
            records=records,
            events=history(session, [r.id for r in records]),
            assessment=body,
            next_change_on=nxt,
            notices=list(notices),
        )
        append(session, actor, [AuditEvent("read.subject.file", sid.value, {})])
        return found


@dataclass(frozen=True)
class CheckResult:
    subject: str
    service: str
    as_of: str
    decision: dict[str, Any]


def unknown_service(service: str, known: list[str]) -> NotFoundError:
    """The error of a check at a service the active policies do not name."""
    return NotFoundError(
        f"unknown service {service!r}; the active policies name: {', '.join(sorted(known))}",
        {"service": service},
    )


_STATE = table(RegistryState)
_ASSESSMENTS = table(AssessmentRow)
_DECISIONS = table(AssessmentDecision)
# One statement, built once (its compiled form is cached): the chain's head, locked on
# PostgreSQL, the registry's date, the subject's assessment date, the stored decision (a service
# without a row allows) and the newest policy version id (which names the active set: versions
# are appended).
_CHECK = (
    select(
        _STATE.c.audit_key,
        _STATE.c.audit_seq,
        _STATE.c.audit_head,
        _STATE.c.as_of,
        _ASSESSMENTS.c.as_of,
        _DECISIONS.c.decision,
        select(func.max(PolicyVersion.id)).scalar_subquery(),
    )
    .select_from(
        _STATE.outerjoin(_ASSESSMENTS, _ASSESSMENTS.c.subject_id == bindparam("sid")).outerjoin(
            _DECISIONS,
            and_(
                _DECISIONS.c.subject_id == _ASSESSMENTS.c.subject_id,
                _DECISIONS.c.service == bindparam("service"),
            ),
        )
    )
    .with_for_update(of=_STATE)
)
# The same statements as text for psycopg's pipeline (PostgreSQL): prepared by psycopg after a
# few uses, like every statement on a connection.
_PG = postgresql.psycopg.dialect()  # type: ignore[no-untyped-call]
_CHECK_PG = str(_CHECK.compile(dialect=_PG))
_INSERT_PG = str(AUDIT_INSERT.compile(dialect=_PG))
_MOVE_HEAD_PG = str(MOVE_HEAD.compile(dialect=_PG))
# The decision at a service where nothing restricts the subject (no stored decision row).
ALLOW: dict[str, Any] = {"effect": "allow", "reasons": [], "remedies": []}


def unassessed_decisions(policies: ActivePolicies, subject: str, day: date) -> dict[str, Any]:
    """The decisions, by service, for a subject the registry holds nothing about: the engine on
    no records (they depend only on the subject's kind)."""
    decisions: dict[str, Any] = assess(policies.policies, [], subject, day).to_dict()["decisions"]
    return decisions


def _unassessed(policies: ActivePolicies, subject: str, service: str, day: date) -> dict[str, Any]:
    """The decision for a subject the registry holds nothing about at ``service``."""
    decisions = unassessed_decisions(policies, subject, day)
    if service not in decisions:
        raise unknown_service(service, list(decisions))
    decision: dict[str, Any] = decisions[service]
    return decision


def _answer(
    found: Sequence[Any], subject: str, service: str, policies: ActivePolicies | None
) -> tuple[dict[str, Any], date] | None:
    """The decision and its date from the check's row; None if it needs ``policies``."""
    today, as_of, decision = found[3], found[4], found[5]
    if decision is not None:
        return decision, as_of
    if policies is None:
        return None
    if as_of is not None:
        if service not in policies.services:
            raise unknown_service(service, list(policies.services))
        return dict(ALLOW), as_of
    return _unassessed(policies, subject, service, today), today


def check_event(subject: str, service: str, batch: bool = False) -> AuditEvent:
    """The audit event of one point-of-service check (``batch``: one of a batch request)."""
    details: dict[str, Any] = {"service": service} | ({"batch": True} if batch else {})
    return AuditEvent("read.subject.check", subject, details)


def _check_pipelined(
    reg: Registry, conn: Connection, subject: str, service: str, actor: Actor
) -> CheckResult | None:
    """PostgreSQL: two round trips in pipeline mode, BEGIN + SELECT, then INSERT + UPDATE +
    COMMIT. None (nothing written) if the active policies must be read first."""
    raw = conn.connection.driver_connection
    assert raw is not None
    try:
        with raw.pipeline(), raw.cursor() as cursor:
            cursor.execute(_CHECK_PG, {"sid": subject, "service": service})
            found = cursor.fetchone()
            if found is None:
                raise no_registry(reg)
            answer = _answer(found, subject, service, reg.known_policies(found[6]))
            if answer is None:
                raw.rollback()
                return None
            (entry,) = chain(Head(*found[:3]), actor, [check_event(subject, service)])
            cursor.execute(_INSERT_PG, entry | {"details": Json(entry["details"])})
            cursor.execute(_MOVE_HEAD_PG, {"new_seq": entry["seq"], "new_head": entry["hash"]})
            raw.commit()  # in the pipeline: sent with the INSERT and UPDATE, one round trip
    except BaseException:
        raw.rollback()
        raise
    decision, as_of = answer
    return CheckResult(subject, service, as_of.isoformat(), decision)


def no_registry(reg: Registry) -> Exception:
    """The error to raise when the registry's state row is missing (no registry here)."""
    try:
        with reg.session() as session:
            reg.state(session)
    except NotFoundError as exc:
        return exc
    return AssertionError("registry state missing")  # pragma: no cover


def check(reg: Registry, subject: str, service: str, actor: Actor) -> CheckResult:
    """The decision for ``subject`` at ``service`` (effect, reasons, remedies); audited.

    One short transaction: one SELECT (which also locks the audit chain's head), one audit
    INSERT, one UPDATE of the head, and the commit, before the answer is returned. On
    PostgreSQL they go in two round trips (psycopg's pipeline mode).
    """
    sid = parse_subject(subject).value
    with reg.engine.connect() as conn:
        if is_postgres(conn):
            done = _check_pipelined(reg, conn, sid, service, actor)
            if done is not None:
                return done
        with conn.begin():
            found = conn.execute(_CHECK, {"sid": sid, "service": service}).one_or_none()
            if found is None:
                raise no_registry(reg)
            policies = reg.known_policies(found[6])
            answer = _answer(found, sid, service, policies)
            if answer is None:
                answer = _answer(found, sid, service, reg.policies_at(conn, found[6]))
                assert answer is not None
            write_chain(conn, chain(Head(*found[:3]), actor, [check_event(sid, service)]))
    decision, as_of = answer
    return CheckResult(sid, service, as_of.isoformat(), decision)


def subject_accesses(reg: Registry, subject: str, actor: Actor) -> list[AuditEntry]:
    """Who read the subject's data (audit entries ``read.*``); this listing is audited too."""
    sid = parse_subject(subject)
    with reg.session() as session, session.begin():
        found = accesses(session, sid.value)
        append(session, actor, [AuditEvent("read.subject.accesses", sid.value, {})])
        return found
