"""Retention of links (principle 6): a link is deleted five years after it ends
(``retention_rules.link_retain_until``), unless an objection to it awaits its decision.

With a link go its status events, the objections to it and the content of the notices about
them; its person is reassessed (a
deleted link reaches no one), and a subject left with neither records nor links is deleted as
retention deletes one whose last record went. Each deleted link is an audit entry of its
person and of its organisation (pseudonyms only).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import Objection
from socialcredit.registry.store.links import LinkEvent, LinkRow
from socialcredit.registry.store.models import Notice
from socialcredit.registry.writes.erasure import blank_notices
from socialcredit.registry.writes.reassess import Scope, reassess

Dropper = Callable[[Session, list[str]], list[AuditEvent]]
"""Deletes the given subjects left without records and links (``retention``'s)."""


def linked_subjects(session: Session, subjects: Sequence[str]) -> set[str]:
    """The subjects among ``subjects`` that a link still names (as organisation or person)."""
    query = select(LinkRow.organisation_id, LinkRow.person_id).where(
        or_(LinkRow.organisation_id.in_(subjects), LinkRow.person_id.in_(subjects))
    )
    given = set(subjects)
    return {s for row in session.execute(query) for s in row if s in given}


def _expired(session: Session, day: date, limit: int) -> list[LinkRow]:
    undecided = LinkRow.disputed_on.is_not(None) & LinkRow.dispute_decided_on.is_(None)
    query = (
        select(LinkRow)
        .where(LinkRow.retain_until <= day, ~undecided)
        .order_by(LinkRow.retain_until, LinkRow.id)
        .limit(limit)
    )
    return list(session.execute(query).scalars())


def _forget(session: Session, rows: list[LinkRow]) -> list[AuditEvent]:
    ids = [r.id for r in rows]
    audit = []
    for r in rows:
        details = {"link": r.key, "role": r.role, "retain_until": r.retain_until.isoformat()}
        audit.append(AuditEvent("write.retention.link", r.person_id, details))
        audit.append(AuditEvent("write.retention.link", r.organisation_id, details))
    session.execute(delete(Objection).where(Objection.link_id.in_(ids)))
    _blank_link_notices(session, rows)
    session.execute(delete(LinkEvent).where(LinkEvent.link_id.in_(ids)))
    session.execute(delete(LinkRow).where(LinkRow.id.in_(ids)))
    return audit


def _blank_link_notices(session: Session, rows: list[LinkRow]) -> None:
    """The notices about the links (their objections, decisions, suspensions) lose their
    content and addressee, as a deleted record's do."""
    keys = {r.key for r in rows}
    query = select(Notice.id, Notice.body).where(
        Notice.subject_id.in_({r.person_id for r in rows}), Notice.record_id.is_(None)
    )
    about = [
        i
        for i, body in session.execute(query)
        if body and (body.get("link") in keys or body.get("record") in keys)
    ]
    if about:
        blank_notices(session, Notice.id.in_(about))


def link_retention(reg: Registry, day: date, actor: Actor, drop: Dropper) -> int:
    """Delete every link whose retention ended on or before ``day``; return how many."""
    count = 0
    while True:
        with reg.session() as session, session.begin():
            rows = _expired(session, day, reg.settings.chunk_size)
            if not rows:
                return count
            persons = sorted({r.person_id for r in rows})
            subjects = sorted(set(persons) | {r.organisation_id for r in rows})
            audit = _forget(session, rows)
            today = reg.state(session).as_of
            reassess(session, reg.policies(session), Scope(persons, today, actor.name))
            append(session, actor, [*audit, *drop(session, subjects)])
        count += len(rows)
