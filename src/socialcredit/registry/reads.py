"""Reads of a subject's data, each one audited: the file, a check at a service, accesses.

``check`` reads the materialised decision (no recomputation): a service without a stored
decision row allows the subject. A subject the registry holds nothing about is assessed by the
engine on the spot with no records (the base scores, every service ``allow``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session

from socialcredit.engine import assess
from socialcredit.errors import NotFoundError
from socialcredit.identity import parse_subject
from socialcredit.registry.audit import (
    Actor,
    AuditEvent,
    Head,
    accesses,
    append,
    chain,
    write_chain,
)
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


def _assessment(session: Session, reg: Registry, subject: str) -> tuple[dict[str, Any], str | None]:
    row = session.get(AssessmentRow, subject)
    if row is not None:
        nxt = None if row.next_change_on is None else row.next_change_on.isoformat()
        return row.body, nxt
    state = reg.state(session)
    return assess(reg.policies(session).policies, [], subject, state.as_of).to_dict(), None


def subject_file(reg: Registry, subject: str, actor: Actor) -> SubjectFile:
    """The whole file of ``subject`` (records with history, assessment, notices); audited."""
    sid = parse_subject(subject)
    with reg.session() as session, session.begin():
        state = reg.state(session)
        query = select(RecordRow).where(RecordRow.subject_id == sid.value).order_by(RecordRow.id)
        records = list(session.execute(query).scalars())
        body, nxt = _assessment(session, reg, sid.value)
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


def _unknown_service(service: str, known: list[str]) -> NotFoundError:
    return NotFoundError(
        f"unknown service {service!r}; the active policies name: {', '.join(sorted(known))}",
        {"service": service},
    )


_STATE = table(RegistryState)
_ASSESSMENTS = table(AssessmentRow)
_DECISIONS = table(AssessmentDecision)
# One statement, built once (its compiled form is cached): the chain's head, locked on
# PostgreSQL, the subject's assessment date, the stored decision (a service without a row
# allows) and the newest policy version id (which names the active set: versions are appended).
_CHECK = (
    select(
        _STATE.c.audit_key,
        _STATE.c.audit_seq,
        _STATE.c.audit_head,
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


def _unassessed(session: Session, reg: Registry, subject: str, service: str) -> dict[str, Any]:
    body, _ = _assessment(session, reg, subject)
    if service not in body["decisions"]:
        raise _unknown_service(service, list(body["decisions"]))
    decision: dict[str, Any] = body["decisions"][service]
    return decision


def check(reg: Registry, subject: str, service: str, actor: Actor) -> CheckResult:
    """The decision for ``subject`` at ``service`` (effect, reasons, remedies); audited.

    One short transaction: one SELECT (which also locks the audit chain's head), one audit
    INSERT, one UPDATE of the head, and the commit, before the answer is returned.
    """
    sid = parse_subject(subject)
    with reg.engine.connect() as conn, conn.begin():
        found = conn.execute(_CHECK, {"sid": sid.value, "service": service}).one_or_none()
        if found is None:
            reg.state(Session(conn))  # raises: no registry
            raise AssertionError  # pragma: no cover
        key, seq, head, as_of, decision, mark = found
        if decision is not None:
            pass
        elif as_of is not None:
            services = reg.service_ids(conn, mark)
            if service not in services:
                raise _unknown_service(service, list(services))
            decision = {"effect": "allow", "reasons": [], "remedies": []}
        else:
            with Session(conn) as session:
                as_of = reg.state(session).as_of
                decision = _unassessed(session, reg, sid.value, service)
        event = AuditEvent("read.subject.check", sid.value, {"service": service})
        write_chain(conn, chain(Head(key, seq, head), actor, [event]))
    return CheckResult(sid.value, service, as_of.isoformat(), decision)


def subject_accesses(reg: Registry, subject: str, actor: Actor) -> list[AuditEntry]:
    """Who read the subject's data (audit entries ``read.*``); this listing is audited too."""
    sid = parse_subject(subject)
    with reg.session() as session, session.begin():
        found = accesses(session, sid.value)
        append(session, actor, [AuditEvent("read.subject.accesses", sid.value, {})])
        return found
