"""Checks at the point of service for many subjects at once (the batch form of ``reads.check``).

One short transaction for the whole batch: the audit chain's head is locked, the stored
assessments and non-``allow`` decisions of every subject in the batch are read with two
statements, and every check is written to the audit log with one executemany (each subject can
see the check in its accesses). A subject the registry holds nothing about is answered as the
engine answers a subject without records (computed once per subject kind).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.orm import Session

from socialcredit.engine import assess
from socialcredit.errors import IdentifierError, NotFoundError
from socialcredit.identity import parse_subject
from socialcredit.registry.audit import Actor, AuditEvent, Head, chain, write_chain
from socialcredit.registry.context import Registry
from socialcredit.registry.models import (
    AssessmentDecision,
    AssessmentRow,
    PolicyVersion,
    RegistryState,
    table,
)
from socialcredit.registry.reads import CheckResult

MAX_BATCH = 1000
ALLOW: dict[str, Any] = {"effect": "allow", "reasons": [], "remedies": []}

_STATE, _ASSESSMENTS, _DECISIONS = (
    table(RegistryState),
    table(AssessmentRow),
    table(AssessmentDecision),
)
_HEAD = select(
    _STATE.c.audit_key,
    _STATE.c.audit_seq,
    _STATE.c.audit_head,
    _STATE.c.as_of,
    select(func.max(PolicyVersion.id)).scalar_subquery(),
).with_for_update(of=_STATE)
_ASSESSED = select(_ASSESSMENTS.c.subject_id, _ASSESSMENTS.c.as_of).where(
    _ASSESSMENTS.c.subject_id.in_(bindparam("subjects", expanding=True))
)
_STORED = select(_DECISIONS.c.subject_id, _DECISIONS.c.service, _DECISIONS.c.decision).where(
    _DECISIONS.c.subject_id.in_(bindparam("subjects", expanding=True)),
    _DECISIONS.c.service.in_(bindparam("services", expanding=True)),
)


@dataclass(frozen=True)
class CheckRequest:
    subject: str
    service: str


def _parse(requests: Sequence[CheckRequest]) -> list[tuple[str, str, str]]:
    """(subject, kind, service) of each request; refuse the batch naming every bad entry."""
    parsed, bad = [], []
    for index, request in enumerate(requests):
        try:
            sid = parse_subject(request.subject)
        except IdentifierError as exc:
            bad.append({"index": index, "message": exc.message})
            continue
        parsed.append((sid.value, str(sid.kind), request.service))
    if bad:
        raise IdentifierError(
            f"{len(bad)} subject identifier(s) of the batch are invalid; nothing was checked",
            {"invalid": bad},
        )
    return parsed


def _unassessed(conn: Connection, reg: Registry, subject: str, day: date) -> dict[str, Any]:
    with Session(conn) as session:
        decisions: dict[str, Any] = assess(
            reg.policies(session).policies, [], subject, day
        ).to_dict()["decisions"]
    return decisions


def check_many(reg: Registry, requests: Sequence[CheckRequest], actor: Actor) -> list[CheckResult]:
    """The decision of each (subject, service), in request order; one audit entry each."""
    parsed = _parse(requests)
    subjects = sorted({sid for sid, _, _ in parsed})
    services = sorted({service for _, _, service in parsed})
    with reg.engine.connect() as conn, conn.begin():
        found = conn.execute(_HEAD).one_or_none()
        if found is None:
            reg.state(Session(conn))  # raises: no registry
            raise AssertionError  # pragma: no cover
        key, seq, head, today, mark = found
        known = reg.service_ids(conn, mark)
        unknown = [s for s in services if s not in known]
        if unknown:
            raise NotFoundError(
                f"unknown service(s) {', '.join(unknown)}; the active policies name: "
                f"{', '.join(sorted(known))}",
                {"services": unknown},
            )
        found_on = conn.execute(_ASSESSED, {"subjects": subjects})
        assessed = {sid: day for sid, day in found_on}
        stored = {
            (sid, service): decision
            for sid, service, decision in conn.execute(
                _STORED, {"subjects": subjects, "services": services}
            )
        }
        by_kind: dict[str, dict[str, Any]] = {}
        results = []
        for sid, kind, service in parsed:
            if sid in assessed:
                decision = stored.get((sid, service), ALLOW)
                as_of = assessed[sid]
            else:
                if kind not in by_kind:
                    by_kind[kind] = _unassessed(conn, reg, sid, today)
                decision, as_of = by_kind[kind].get(service, ALLOW), today
            results.append(CheckResult(sid, service, as_of.isoformat(), decision))
        events = [
            AuditEvent("read.subject.check", r.subject, {"service": r.service, "batch": True})
            for r in results
        ]
        if events:
            write_chain(conn, chain(Head(key, seq, head), actor, events))
    return results
