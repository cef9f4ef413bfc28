"""Checks at the point of service: many independent single checks, or one batch request.

Either way one short transaction (``checkrun.run``, on the driver's own connection): the audit
chain's head is locked, the stored assessments and non-``allow`` decisions of every subject are
read with two statements, and every check is written to the audit log with one executemany
(each subject can see the check in its accesses). The answers are built from what was read
after the commit, outside the writer's lock (decoding the stored decisions is most of that
work). A subject the registry holds nothing about is answered as the engine answers a subject
without records (computed once per subject kind).

``check_many`` is a batch request: one caller, and a bad identifier or an unknown service
refuses the whole batch. ``check_each`` runs many independent single checks (from different
callers) in the same one transaction: each gets its own answer or its own error, exactly as
``check`` gives it alone, and its own audit entry under its own caller.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Any

import orjson
from sqlalchemy import Connection

from socialcredit.engine import assess
from socialcredit.errors import IdentifierError, NotFoundError, SocialCreditError
from socialcredit.identity import SubjectId, SubjectKind, parse_lookup
from socialcredit.identity.kinds import compact
from socialcredit.identity.lookup import AMBIGUOUS_KIND
from socialcredit.registry.audit import Actor, AuditEvent, Head, chain
from socialcredit.registry.context import Registry
from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.reads import checkrun
from socialcredit.registry.reads.checkrun import AuditRows, Found
from socialcredit.registry.reads.orgcodes import read_lookup, registered_subject

MAX_BATCH = 1000


@dataclass(frozen=True)
class CheckResult:
    """A check's answer. ``decision`` (effect, reasons, remedies) is read-only: answers that
    decide alike share one mapping (every ``allow``; subjects the registry holds nothing
    about, per kind)."""

    subject: str
    service: str
    as_of: str
    decision: Mapping[str, Any]


def unknown_service(service: str, known: list[str]) -> NotFoundError:
    """The error of a check at a service the active policies do not name."""
    return NotFoundError(
        f"unknown service {service!r}; the active policies name: {', '.join(sorted(known))}",
        {"service": service},
    )


# The decision at a service where nothing restricts the subject (no stored decision row).
ALLOW: Mapping[str, Any] = {"effect": "allow", "reasons": [], "remedies": []}


def unassessed_decisions(
    policies: ActivePolicies, subject: str | SubjectId, day: date
) -> dict[str, Any]:
    """The decisions, by service, for a subject the registry holds nothing about: the engine on
    no records (they depend only on the subject's kind)."""
    decisions: dict[str, Any] = assess(policies.policy_set, [], subject, day).to_dict()["decisions"]
    return decisions


def check_event(subject: str, service: str, batch: bool = False) -> AuditEvent:
    """The audit event of one point-of-service check (``batch``: one of a batch request)."""
    details: dict[str, Any] = {"service": service} | ({"batch": True} if batch else {})
    return AuditEvent("read.subject.check", subject, details)


@dataclass(frozen=True)
class CheckRequest:
    subject: str
    service: str
    kind: str | None = None
    """The kind of identifier ``subject`` is, if said (``identity.parse_lookup``)."""


@dataclass(frozen=True)
class _Parsed:
    sid: str
    kind: str
    service: str
    ambiguity: IdentifierError | None = None
    """Why ``kind`` is ``EITHER``: the refusal if both kinds' answers differ."""


EITHER = ""
"""The kind of eighteen digits valid as both kinds, no kind said: a subject the registry holds
under them is answered by its stored decisions (whose kind they are), one it holds nothing
under where both kinds' answers on no records agree (``_Answers.decide``)."""


def _parse_one(reg: Registry, request: CheckRequest) -> _Parsed:
    """The request's subject (eighteen digits of both kinds as the kind the registry holds,
    ``read_lookup``; an organisation code as the registry's credit code embedding it,
    ``registered_subject``) and service."""
    if request.kind is not None:
        sid = registered_subject(reg, read_lookup(reg, request.subject, request.kind))
        return _Parsed(sid.value, str(sid.kind), request.service)
    try:
        sid = registered_subject(reg, parse_lookup(request.subject))
    except IdentifierError as exc:
        if exc.details.get("reason") != AMBIGUOUS_KIND:
            raise
        # the check's own transaction reads the subject the registry holds under the digits
        # (its stored decisions); one it holds nothing under is answered by ``_either``
        return _Parsed(compact(request.subject).upper(), EITHER, request.service, exc)
    return _Parsed(sid.value, str(sid.kind), request.service)


def _parse(reg: Registry, requests: Sequence[CheckRequest]) -> list[_Parsed]:
    """Each request parsed; refuse the batch naming every bad entry."""
    parsed, bad = [], []
    for index, request in enumerate(requests):
        try:
            parsed.append(_parse_one(reg, request))
        except IdentifierError as exc:
            bad.append({"index": index, "message": exc.message})
    if bad:
        raise IdentifierError(
            f"{len(bad)} subject identifier(s) of the batch are invalid; nothing was checked",
            {"invalid": bad},
        )
    return parsed


class _Answers:
    """The answers to checks from what one transaction read (``checkrun.Found``)."""

    def __init__(self, found: Found) -> None:
        self.found = found
        self.by_kind: dict[str, dict[str, Any]] = {}

    def answers(self, p: _Parsed) -> bool:
        """Whether the check has an answer: a stored decision, or a service in force."""
        return (p.sid, p.service) in self.found.stored or p.service in self.found.policies.services

    def decide(self, p: _Parsed) -> CheckResult:
        """The answer to a check that ``answers`` (pure: no query)."""
        found = self.found
        raw, as_of = found.stored.get((p.sid, p.service)), found.assessed.get(p.sid)
        if raw is not None:
            decision: Mapping[str, Any] = orjson.loads(raw)
        elif as_of is None:  # nothing held about the subject: the engine on no records
            decision, as_of = self._unassessed(p).get(p.service, ALLOW), found.today
        else:
            decision = ALLOW
        assert as_of is not None  # a stored decision belongs to an assessment
        return CheckResult(p.sid, p.service, as_of.isoformat(), decision)

    def refusal(self, p: _Parsed) -> NotFoundError:
        return unknown_service(p.service, list(self.found.policies.services))

    def _unassessed(self, p: _Parsed) -> dict[str, Any]:
        if p.kind == EITHER:
            return self._either(p)
        if p.kind not in self.by_kind:
            policies, today = self.found.policies, self.found.today
            sid = SubjectId(SubjectKind(p.kind), p.sid)  # of the kind read, digits or not
            self.by_kind[p.kind] = unassessed_decisions(policies, sid, today)
        return self.by_kind[p.kind]

    def _either(self, p: _Parsed) -> dict[str, Any]:
        """Both kinds' answers at the service on no records, if they agree; else refuse."""
        person, organisation = (
            self._unassessed(_Parsed(p.sid, str(kind), p.service))
            for kind in (SubjectKind.PERSON, SubjectKind.ORGANISATION)
        )
        if person.get(p.service) != organisation.get(p.service) and p.ambiguity is not None:
            raise p.ambiguity
        return person


def _pairs(parsed: Sequence[_Parsed]) -> list[tuple[str, str]]:
    """The distinct (subject, service) pairs of ``parsed``, sorted."""
    return sorted({(p.sid, p.service) for p in parsed})


def _run(
    reg: Registry, parsed: Sequence[_Parsed], rows: AuditRows, conn: Connection | None = None
) -> _Answers:
    """The check transaction on ``conn``, or on a connection from the pool."""
    with reg.engine.connect() if conn is None else nullcontext(conn) as using:
        try:
            return _Answers(checkrun.run(reg, using, _pairs(parsed), rows))
        except LookupError:
            raise reg.no_registry() from None


def check_many(reg: Registry, requests: Sequence[CheckRequest], actor: Actor) -> list[CheckResult]:
    """The decision of each (subject, service), in request order; one audit entry each,
    committed before this returns."""
    parsed = _parse(reg, requests)
    if not parsed:
        return []

    def audit(found: Found) -> list[dict[str, Any]]:
        known = found.policies.services
        unknown = sorted({p.service for p in parsed} - known)
        if unknown:
            raise NotFoundError(
                f"unknown service(s) {', '.join(unknown)}; the active policies name: "
                f"{', '.join(sorted(known))}",
                {"services": unknown},
            )
        events = [check_event(p.sid, p.service, batch=True) for p in parsed]
        return chain(found.head, actor, events) if events else []

    answers = _run(reg, parsed, audit)
    return [answers.decide(p) for p in parsed]


Outcome = CheckResult | SocialCreditError


def check(
    reg: Registry, subject: str, service: str, actor: Actor, kind: str | None = None
) -> CheckResult:
    """The decision for ``subject`` at ``service`` (effect, reasons, remedies); audited.

    One short transaction (``checkrun.run``): the audit head locked and the subject's stored
    decision read, one audit entry appended, committed before the answer is returned.
    """
    (outcome,) = check_each(reg, [(CheckRequest(subject, service, kind), actor)])
    if isinstance(outcome, SocialCreditError):
        raise outcome
    return outcome


def _chain_each(head: Head, entries: Sequence[tuple[Actor, AuditEvent]]) -> list[dict[str, Any]]:
    """The audit rows of ``entries``, each under its own actor, one chain after ``head``."""
    rows: list[dict[str, Any]] = []
    for actor, run in groupby(entries, key=lambda entry: entry[0]):
        rows += chain(head, actor, [event for _, event in run])
        head = Head(head.key, rows[-1]["seq"], rows[-1]["hash"])
    return rows


def check_each(
    reg: Registry, requests: Sequence[tuple[CheckRequest, Actor]], conn: Connection | None = None
) -> list[Outcome]:
    """Independent single checks in one transaction, in order: each one's answer or error.

    Answers and errors are those of ``check`` for the same request alone; every answered check
    appends its own audit entry (``read.subject.check``, under its own actor), and all of them
    are committed before this returns. A failure of the transaction itself raises. The
    transaction runs on ``conn`` (not in a transaction) if given, else on a pooled connection.
    """
    outcomes: list[Outcome | _Parsed] = []
    for request, _ in requests:
        try:
            outcomes.append(_parse_one(reg, request))
        except IdentifierError as exc:
            outcomes.append(exc)
    todo = [(i, p) for i, p in enumerate(outcomes) if isinstance(p, _Parsed)]
    if not todo:
        return [o for o in outcomes if not isinstance(o, _Parsed)]

    def audit(found: Found) -> list[dict[str, Any]]:
        answerable = _Answers(found).answers
        entries = [
            (requests[i][1], check_event(p.sid, p.service)) for i, p in todo if answerable(p)
        ]
        return _chain_each(found.head, entries) if entries else []

    answers = _run(reg, [p for _, p in todo], audit, conn)
    for index, parsed in todo:
        try:
            outcomes[index] = (
                answers.decide(parsed) if answers.answers(parsed) else answers.refusal(parsed)
            )
        except IdentifierError as exc:  # eighteen digits whose kinds' answers differ
            outcomes[index] = exc
    return [o for o in outcomes if not isinstance(o, _Parsed)]
