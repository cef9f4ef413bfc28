"""Pages of what a subject may see about itself: who accessed its data, and its notices.

Each listing is one counted, paginated query and is itself audited. The accesses are every audit
entry about the subject that read its data (``read.*``) or was refused (``denied.*``: someone
tried to reach it without the right), by anyone, with who, in which role, when and why.
"""

from __future__ import annotations

from sqlalchemy import select

from socialcredit.identity import parse_subject
from socialcredit.registry.audit import Actor, AuditEvent, append, in_access_listing, subject_ref
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import Objection, RepairApplication
from socialcredit.registry.store.models import AuditEntry, Notice
from socialcredit.registry.workflows.objections import PENDING, Page, page_of


def accesses_page(reg: Registry, subject: str, limit: int, offset: int, actor: Actor) -> Page:
    """Reads of (and refused attempts on) the subject's data, oldest first; audited."""
    sid = parse_subject(subject).value
    with reg.session() as session, session.begin():
        ref = subject_ref(reg.state(session).audit_key, sid)
        query = (
            select(AuditEntry)
            .where(
                AuditEntry.subject_ref == ref,
                in_access_listing(),
            )
            .order_by(AuditEntry.seq)
        )
        found = page_of(session, query, limit, offset)
        append(session, actor, [AuditEvent("read.subject.accesses", sid, {})])
        return found


def notices_page(reg: Registry, subject: str, limit: int, offset: int, actor: Actor) -> Page:
    """The notices to the subject (pending or sent), oldest first; audited."""
    sid = parse_subject(subject).value
    with reg.session() as session, session.begin():
        query = select(Notice).where(Notice.subject_id == sid).order_by(Notice.id)
        found = page_of(session, query, limit, offset)
        append(session, actor, [AuditEvent("read.subject.notices", sid, {})])
        return found


def has_open_case(reg: Registry, subject: str) -> bool:
    """Whether the subject has an objection or a repair application awaiting a decision (a
    reviewer reads a file only then: least access)."""
    with reg.session() as session:
        for model in (Objection, RepairApplication):
            query = select(model.id).where(model.subject_id == subject, model.status == PENDING)
            if session.execute(query.limit(1)).first() is not None:
                return True
    return False
