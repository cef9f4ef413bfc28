"""Checks at the point of service for many subjects at once (the batch form of ``reads.check``).

One short transaction for the whole batch: the audit chain's head is locked, the stored
assessments and non-``allow`` decisions of every subject in the batch are read with two
statements, and every check is written to the audit log with one executemany (each subject can
see the check in its accesses). The answers are built from what was read after the commit,
outside the writer's lock (decoding the stored decisions is most of that work). A subject the
registry holds nothing about is answered as the engine answers a subject without records
(computed once per subject kind).

``check_many`` is a batch request: one caller, and a bad identifier or an unknown service
refuses the whole batch. ``check_each`` runs many independent single checks (from different
callers) in the same one transaction: each gets its own answer or its own error, exactly as
``reads.check`` would have given it, and its own audit entry under its own caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby
from typing import Any

import orjson
from sqlalchemy import Connection, Text, bindparam, cast, func, select

from socialcredit.errors import IdentifierError, NotFoundError, SocialCreditError
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
from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.reads import (
    ALLOW,
    CheckResult,
    check,
    check_event,
    no_registry,
    unassessed_decisions,
    unknown_service,
)

MAX_BATCH = 1000

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
# The decision as its stored JSON text (decoded after the commit, with orjson).
_STORED = select(
    _DECISIONS.c.subject_id, _DECISIONS.c.service, cast(_DECISIONS.c.decision, Text)
).where(
    _DECISIONS.c.subject_id.in_(bindparam("subjects", expanding=True)),
    _DECISIONS.c.service.in_(bindparam("services", expanding=True)),
)


@dataclass(frozen=True)
class CheckRequest:
    subject: str
    service: str


@dataclass(frozen=True)
class _Parsed:
    sid: str
    kind: str
    service: str


def _parse_one(request: CheckRequest) -> _Parsed:
    sid = parse_subject(request.subject)
    return _Parsed(sid.value, str(sid.kind), request.service)


def _parse(requests: Sequence[CheckRequest]) -> list[_Parsed]:
    """Each request parsed; refuse the batch naming every bad entry."""
    parsed, bad = [], []
    for index, request in enumerate(requests):
        try:
            parsed.append(_parse_one(request))
        except IdentifierError as exc:
            bad.append({"index": index, "message": exc.message})
    if bad:
        raise IdentifierError(
            f"{len(bad)} subject identifier(s) of the batch are invalid; nothing was checked",
            {"invalid": bad},
        )
    return parsed


@dataclass
class _Found:
    """What one transaction read for its checks (the audit head locked). The decisions are
    kept as their stored JSON text: they are decoded after the commit, outside the lock."""

    head: Head
    today: date
    policies: ActivePolicies
    assessed: dict[str, date]
    stored: dict[tuple[str, str], str]
    by_kind: dict[str, dict[str, Any]] = field(default_factory=dict)

    def answers(self, p: _Parsed) -> bool:
        """Whether the check has an answer: a stored decision, or a service in force."""
        return (p.sid, p.service) in self.stored or p.service in self.policies.services

    def decide(self, p: _Parsed) -> CheckResult:
        """The answer to a check that ``answers`` (pure: no query)."""
        raw, as_of = self.stored.get((p.sid, p.service)), self.assessed.get(p.sid)
        if raw is not None:
            decision: dict[str, Any] = orjson.loads(raw)
        elif as_of is None:  # nothing held about the subject: the engine on no records
            decision, as_of = self._unassessed(p).get(p.service, ALLOW), self.today
        else:
            decision = ALLOW
        assert as_of is not None  # a stored decision belongs to an assessment
        return CheckResult(p.sid, p.service, as_of.isoformat(), decision)

    def refusal(self, p: _Parsed) -> NotFoundError:
        return unknown_service(p.service, list(self.policies.services))

    def _unassessed(self, p: _Parsed) -> dict[str, Any]:
        if p.kind not in self.by_kind:
            self.by_kind[p.kind] = unassessed_decisions(self.policies, p.sid, self.today)
        return self.by_kind[p.kind]


def _read(conn: Connection, reg: Registry, parsed: Sequence[_Parsed]) -> _Found:
    """Lock the audit head and read what ``parsed`` needs: two statements after the lock."""
    found = conn.execute(_HEAD).one_or_none()
    if found is None:
        raise no_registry(reg)
    key, seq, head, today, mark = found
    subjects = sorted({p.sid for p in parsed})
    services = sorted({p.service for p in parsed})
    assessed = {sid: day for sid, day in conn.execute(_ASSESSED, {"subjects": subjects})}
    query = conn.execute(_STORED, {"subjects": subjects, "services": services})
    stored = {(sid, service): text for sid, service, text in query}
    policies = reg.policies_at(conn, mark)
    return _Found(Head(key, seq, head), today, policies, assessed, stored)


def check_many(reg: Registry, requests: Sequence[CheckRequest], actor: Actor) -> list[CheckResult]:
    """The decision of each (subject, service), in request order; one audit entry each,
    committed before this returns."""
    parsed = _parse(requests)
    with reg.engine.connect() as conn, conn.begin():
        found = _read(conn, reg, parsed)
        unknown = sorted({p.service for p in parsed} - found.policies.services)
        if unknown:
            raise NotFoundError(
                f"unknown service(s) {', '.join(unknown)}; the active policies name: "
                f"{', '.join(sorted(found.policies.services))}",
                {"services": unknown},
            )
        events = [check_event(p.sid, p.service, batch=True) for p in parsed]
        if events:
            write_chain(conn, chain(found.head, actor, events))
    return [found.decide(p) for p in parsed]


Outcome = CheckResult | SocialCreditError


def _chain_each(head: Head, entries: Sequence[tuple[Actor, AuditEvent]]) -> list[dict[str, Any]]:
    """The audit rows of ``entries``, each under its own actor, one chain after ``head``."""
    rows: list[dict[str, Any]] = []
    for actor, run in groupby(entries, key=lambda entry: entry[0]):
        rows += chain(head, actor, [event for _, event in run])
        head = Head(head.key, rows[-1]["seq"], rows[-1]["hash"])
    return rows


def _alone(reg: Registry, request: CheckRequest, actor: Actor) -> Outcome:
    try:
        return check(reg, request.subject, request.service, actor)
    except (IdentifierError, NotFoundError) as exc:
        return exc


def check_each(reg: Registry, requests: Sequence[tuple[CheckRequest, Actor]]) -> list[Outcome]:
    """Independent single checks in one transaction, in order: each one's answer or error.

    Answers and errors are those of ``reads.check`` for the same request; every answered check
    appends its own audit entry (``read.subject.check``, under its own actor), and all of them
    are committed before this returns. A failure of the transaction itself raises. A lone
    check goes through ``reads.check`` itself (fewer statements; pipelined on PostgreSQL).
    """
    if len(requests) == 1:
        return [_alone(reg, *requests[0])]
    outcomes: list[Outcome | _Parsed] = []
    for request, _ in requests:
        try:
            outcomes.append(_parse_one(request))
        except IdentifierError as exc:
            outcomes.append(exc)
    todo = [(i, p) for i, p in enumerate(outcomes) if isinstance(p, _Parsed)]
    if not todo:
        return [o for o in outcomes if not isinstance(o, _Parsed)]
    with reg.engine.connect() as conn, conn.begin():
        found = _read(conn, reg, [p for _, p in todo])
        entries = [
            (requests[i][1], check_event(p.sid, p.service)) for i, p in todo if found.answers(p)
        ]
        if entries:
            write_chain(conn, _chain_each(found.head, entries))
    for index, parsed in todo:
        outcomes[index] = found.decide(parsed) if found.answers(parsed) else found.refusal(parsed)
    return [o for o in outcomes if not isinstance(o, _Parsed)]
