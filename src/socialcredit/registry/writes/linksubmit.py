"""Submitting links: one transaction per chunk of lines, as records are submitted.

Each line is read and checked by :mod:`.linkintake`; a valid link is then classified against
what the registry holds: the same payload under the same (agency, link id) is ``unchanged``, a
different one is refused (a link is changed by revoking it and submitting a new one), and a
link that would hold at the same time as another for the same organisation, person and role,
or as another holder of a role the organisation has one of at a time, is refused with the link
it overlaps. The chunk's new links are stored with their subjects, status events, the
reassessment of their persons and their audit entries, or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.orm import Session

from socialcredit.engine.links import Link
from socialcredit.errors import LinkConflictError, LinkError, Problem
from socialcredit.identity import SubjectKind
from socialcredit.policy.base import base_catalogue
from socialcredit.registry.audit import AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.choose import backend_of
from socialcredit.registry.store.links import LinkEvent, LinkRow, link_key
from socialcredit.registry.store.models import Subject, table
from socialcredit.registry.writes.intake import (
    LineOutcome,
    RawLine,
    Submission,
    SubmitReport,
    chunks,
    source_hash,
)
from socialcredit.registry.writes.linkintake import (
    LinkCandidate,
    LinkLine,
    check_link_line,
    link_ends,
    overlap_reason,
)
from socialcredit.registry.writes.linkrows import link_event, to_link
from socialcredit.registry.writes.quarantine_sink import Quarantine
from socialcredit.registry.writes.reassess import Scope, reassess
from socialcredit.registry.writes.retention_rules import link_retain_until

_LINKS, _EVENTS, _SUBJECTS = table(LinkRow), table(LinkEvent), table(Subject)


def _refused(c: LinkCandidate, reason: str, conflict: bool = False) -> LineOutcome:
    return LineOutcome(c.line, c.link.id, "refused", (reason,), conflict=conflict)


def _classify(
    conn: Connection, agency: str, found: list[LinkCandidate], report: SubmitReport
) -> list[LinkCandidate]:
    """The new links of the chunk; the others (unchanged, a conflict, an overlap) reported."""
    ids = [c.link.id for c in found]
    query = select(_LINKS.c.source_id, _LINKS.c.payload_sha256).where(
        _LINKS.c.agency == agency, _LINKS.c.source_id.in_(ids)
    )
    existing: dict[str, str] = {s: h for s, h in conn.execute(query)}
    orgs = sorted({c.link.organisation for c in found})
    held: dict[tuple[str, str], list[Link]] = {}
    for row in conn.execute(select(_LINKS).where(_LINKS.c.organisation_id.in_(orgs))):
        named = replace(to_link(row), id=f"{link_key(row.id)} ({row.agency}: {row.source_id})")
        held.setdefault((row.organisation_id, row.role), []).append(named)
    new = []
    for c in found:
        rid = c.link.id
        if rid in existing:
            if existing[rid] == c.sha256:
                report.outcomes.append(LineOutcome(c.line, rid, "unchanged", (), c.warnings))
                continue
            reason = (
                f"link {rid!r} of {agency!r} is already registered with a different payload; "
                "revoke it (or let it end) and submit the new link under a new id"
            )
            report.outcomes.append(_refused(c, reason, conflict=True))
            continue
        key = (c.link.organisation, c.link.role)
        one = base_catalogue().roles[c.link.role].one_holder
        why = next(
            (r for h in held.get(key, []) if (r := overlap_reason(c.link, h, one)) is not None),
            None,
        )
        if why is not None:
            report.outcomes.append(_refused(c, why))
            continue
        held.setdefault(key, []).append(c.link)
        new.append(c)
    return new


def _row(c: LinkCandidate, agency: str, now: datetime) -> dict[str, Any]:
    link = c.link
    outcome = link.dispute_outcome
    return {
        "agency": agency,
        "source_id": link.id,
        "organisation_id": link.organisation,
        "person_id": link.person,
        "role": link.role,
        "valid_from": link.valid_from,
        "valid_to": link.valid_to,
        "source": str(link.source),
        "authority": link.authority,
        "reference": link.reference,
        "revoked_on": link.revoked_on,
        "disputed_on": link.disputed_on,
        "dispute_decided_on": link.dispute_decided_on,
        "dispute_outcome": None if outcome is None else str(outcome),
        "payload": c.payload,
        "payload_sha256": c.sha256,
        "retain_until": link_retain_until(link_ends(link)),
        "registered_at": now,
    }


def _events(link_id: int, link: Link, today: date, now: datetime, actor: str) -> list[Any]:
    """The events of a newly registered link, including the facts it arrived with."""
    out = [link_event(link_id, "submitted", today, now, actor, {"source": str(link.source)})]
    if link.disputed_on is not None:
        out.append(link_event(link_id, "disputed", link.disputed_on, now, actor, {}))
    if link.dispute_decided_on is not None and link.dispute_outcome is not None:
        details = {"outcome": str(link.dispute_outcome)}
        out.append(link_event(link_id, "decided", link.dispute_decided_on, now, actor, details))
    if link.revoked_on is not None:
        out.append(link_event(link_id, "revoked", link.revoked_on, now, actor, {}))
    return out


def _new_subjects(conn: Connection, new: list[LinkCandidate], now: datetime) -> None:
    kinds = {c.link.organisation: SubjectKind.ORGANISATION for c in new}
    kinds |= {c.link.person: SubjectKind.PERSON for c in new}
    query = select(_SUBJECTS.c.id).where(_SUBJECTS.c.id.in_(list(kinds)))
    known = set(conn.execute(query).scalars())
    rows = [
        {"id": s, "kind": str(k), "created_at": now} for s, k in kinds.items() if s not in known
    ]
    if rows:
        conn.execute(insert(_SUBJECTS), rows)


def _register(reg: Registry, session: Session, sub: Submission, new: list[LinkCandidate]) -> None:
    """Store the new links, their subjects and events, reassess their persons, audit."""
    today, now = reg.state(session).as_of, datetime.now(UTC)
    conn = session.connection()
    _new_subjects(conn, new, now)
    ids = backend_of(conn).allocate_ids(conn, _LINKS, len(new))
    pairs = list(zip(ids, new, strict=True))
    conn.execute(insert(_LINKS), [{"id": i} | _row(c, sub.agency, now) for i, c in pairs])
    events = [e for i, c in pairs for e in _events(i, c.link, today, now, sub.actor.name)]
    conn.execute(insert(_EVENTS), events)
    persons = sorted({c.link.person for c in new})
    reassess(session, reg.policies(session), Scope(persons, today, sub.actor.name))
    audit = []
    for i, c in pairs:
        details = {"link": link_key(i), "agency": sub.agency, "role": c.link.role}
        audit.append(AuditEvent("write.link.register", c.link.person, details))
        audit.append(AuditEvent("write.link.register", c.link.organisation, details))
    append(session, sub.actor, audit)


def _candidates(
    chunk: list[tuple[int, RawLine]], under: LinkLine, seen: dict[str, int], report: SubmitReport
) -> list[LinkCandidate]:
    out = []
    for line, raw in chunk:
        found = check_link_line(line, raw, under)
        if isinstance(found, LineOutcome):
            report.outcomes.append(found)
        elif found.link.id in seen:
            reason = f"link id {found.link.id!r} already appears on line {seen[found.link.id]}"
            report.outcomes.append(_refused(found, reason))
        else:
            seen[found.link.id] = line
            out.append(found)
    return out


def submit_link_lines(
    reg: Registry,
    lines: Iterable[tuple[int, RawLine]],
    sub: Submission,
    progress: Callable[[int], None] | None = None,
    quarantine: Quarantine | None = None,
) -> SubmitReport:
    """Submit raw links; every line gets an outcome. One transaction per chunk, in which the
    chunk's refused lines go to ``quarantine`` (when given)."""
    report = SubmitReport()
    seen: dict[str, int] = {}
    for chunk in chunks(lines, reg.settings.chunk_size):
        start = len(report.outcomes)
        with reg.session() as session, session.begin():
            today = reg.state(session).as_of
            under = LinkLine(sub.agency, reg.policies(session).policy_set, today)
            found = _candidates(chunk, under, seen, report)
            conn = session.connection()
            # organisations first, as a record's submission holds its organisation before it
            # locks the persons linked to it (writers of the same subjects take turns)
            backend = backend_of(conn)
            backend.lock_keys(conn, [c.link.organisation for c in found])
            keys = [c.link.person for c in found]
            keys += [f"link:{source_hash(sub.agency, c.link.id)}" for c in found]
            backend.lock_keys(conn, keys)
            new = _classify(conn, sub.agency, found, report) if found else []
            if new:
                _register(reg, session, sub, new)
            report.outcomes += [
                LineOutcome(c.line, c.link.id, "registered", (), c.warnings) for c in new
            ]
            if quarantine is not None:
                quarantine.write(session, report.outcomes[start:], today, sub.actor)
        if quarantine is not None:
            quarantine.release([line for line, _ in chunk])
        if progress is not None:
            progress(len(chunk))
    report.outcomes.sort(key=lambda o: o.line)
    return report


def submit_link(reg: Registry, raw: Mapping[str, Any], sub: Submission) -> str:
    """Submit one link: ``registered`` or ``unchanged``; raise if it is refused."""
    outcome = submit_link_lines(reg, [(1, raw)], sub).outcomes[0]
    if outcome.status != "refused":
        return outcome.status
    message = "; ".join(outcome.reasons)
    if outcome.conflict:
        raise LinkConflictError(message, {"link": outcome.record_id, "agency": sub.agency})
    problem = Problem("submission", "link", message)
    raise LinkError(f"link {outcome.record_id!r} was refused", [problem])
