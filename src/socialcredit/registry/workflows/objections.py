"""Objections (principle 9): a subject contests a record; a reviewer decides within a deadline.

Filing marks the record disputed at once (a status change through the lifecycle, in the same
transaction as the objection row and the subject's notice). The deadline is the filing date plus
the ``objection_review_days`` of the policy that catalogues the item; when it passes undecided
the engine suspends the record until it is decided, and :func:`sweep_overdue` tells the subject.
A decision (upheld, corrected, revoked) is final, carries its reasons and produces a notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Select, func, insert, select
from sqlalchemy.orm import Session

from socialcredit.engine import DisputeOutcome
from socialcredit.engine.workdays import deadline as review_deadline
from socialcredit.errors import AlreadyDecidedError, NotFoundError
from socialcredit.identity import parse_subject
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import DECIDED, PENDING, Objection
from socialcredit.registry.store.links import link_key
from socialcredit.registry.store.models import (
    Notice,
    RecordRow,
    RegistryState,
    record_key,
    table,
)
from socialcredit.registry.workflows.linkobjections import (
    Decided,
    decide_link_objection,
    file_link_objection,
)
from socialcredit.registry.workflows.routing import ensure_routed
from socialcredit.registry.writes.lifecycle import StatusChange, apply_change, check_change
from socialcredit.registry.writes.linkstatus import LinkChange
from socialcredit.registry.writes.notices import notice_values
from socialcredit.registry.writes.turns import lock_subjects

__all__ = ["DECIDED", "PENDING", "Page", "QueueQuery", "page_of"]


@dataclass(frozen=True)
class Page:
    """One page of a listing and the number of rows in the whole listing."""

    rows: list[Any]
    total: int


def page_of(session: Session, query: Select[Any], limit: int, offset: int) -> Page:
    """One page of ``query``'s rows (in its order) and how many rows it has in all."""
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    return Page(list(session.execute(query.limit(limit).offset(offset)).scalars()), total)


@dataclass(frozen=True)
class QueueQuery:
    """Which due-process cases to list: a page, optionally of one status, of one subject and of
    one authority's queue (with the cases filed before routing, which any reviewer decides);
    ``reader`` (a reviewer) is recorded in the audit log for each subject on the page, since
    the cases hold their grounds and statements."""

    limit: int
    offset: int
    status: str | None = None
    subject: str | None = None
    authority: str | None = None
    reader: Actor | None = None


def queue_page(reg: Registry, model: type[Any], query: QueueQuery) -> Page:
    """A page of due-process cases (objections or repair applications), escalated ones first
    (``workflows.escalation``), then earliest deadline first; with a reader, each subject on
    the page sees the read in its access listing."""
    select_cases = select(model)
    if query.authority is not None:
        mine = (model.authority == query.authority) | model.authority.is_(None)
        select_cases = select_cases.where(mine)
    if query.status is not None:
        select_cases = select_cases.where(model.status == query.status)
    if query.subject is not None:
        select_cases = select_cases.where(model.subject_id == query.subject)
    ordered = select_cases.order_by(model.escalated_on.is_(None), model.deadline, model.id)
    with reg.session() as session, session.begin():
        found = page_of(session, ordered, query.limit, query.offset)
        if query.reader is not None:
            what = model.__tablename__
            events = [
                AuditEvent(f"read.review.{what}", c.subject_id, {"id": c.id}) for c in found.rows
            ]
            append(session, query.reader, events)
        return found


def overdue(session: Session, model: type[Any], today: date) -> list[Any]:
    """The pending cases of ``model`` past their deadline whose subject was not yet told."""
    query = select(model).where(
        model.status == PENDING, model.deadline <= today, model.overdue_noticed.is_(False)
    )
    return list(session.execute(query).scalars())


def add_notice(
    session: Session, subject: str, kind: str, body: dict[str, Any], record_id: int | None = None
) -> None:
    """Queue a notice to ``subject`` in the caller's transaction (the outbox delivers it),
    dated the registry's date (the wall clock only says when it may be sent)."""
    today = session.execute(select(RegistryState.as_of)).scalar_one()
    values = notice_values(subject, kind, body, today, datetime.now(UTC), record_id)
    session.execute(insert(table(Notice)), [values])


def record_of(session: Session, subject: str, record: str) -> RecordRow:
    """The subject's record ``r<id>``; another subject's record is as good as absent (404)."""
    digits = record[1:] if record.startswith("r") else ""
    number = int(digits) if digits.isascii() and digits.isdigit() else 0
    row = session.get(RecordRow, number) if 0 < number < 2**63 else None  # BIGINT ids
    if row is None or row.subject_id != subject:
        raise NotFoundError(f"you have no record {record!r}", {"record": record})
    return row


def file_objection(
    reg: Registry, subject: str, record: str, grounds: str, actor: Actor
) -> Objection:
    """Object to the subject's own record (``r<id>``) or to a link naming it (``l<id>``):
    disputed today, decided by the deadline."""
    sid = parse_subject(subject).value
    with reg.session() as session, session.begin():
        if record.startswith("l"):
            lock_subjects(session, [sid])
            return file_link_objection(session, reg, sid, record, grounds, actor)
        lock_subjects(session, [sid])  # before reading what is pending
        today = reg.state(session).as_of
        row = record_of(session, sid, record)
        change = StatusChange("dispute", row.agency, row.source_id, today)
        check_change(row, change)  # before the objection row: one pending per record
        found = reg.policies(session).policy_set
        days, working = found.review_days(row.item), found.review_working(row.item)
        objection = Objection(
            record_id=row.id,
            subject_id=sid,
            authority=row.agency,
            filed_on=today,
            deadline=review_deadline(today, days, working),
            grounds=grounds,
            status=PENDING,
            overdue_noticed=False,
            filed_at=datetime.now(UTC),
        )
        session.add(objection)
        session.flush()
        apply_change(session, reg, change, actor, {"objection": objection.id})
        body = {
            "objection": objection.id,
            "record": row.key,
            "filed_on": today.isoformat(),
            "deadline": objection.deadline.isoformat(),
            "message": f"your objection to record {row.key} was received; the record is marked "
            f"disputed and will be decided by {objection.deadline.isoformat()}, or suspended "
            "until it is decided",
        }
        add_notice(session, sid, "objection", body, row.id)
        return objection


def objections(reg: Registry, query: QueueQuery) -> Page:
    """A page of objections, earliest deadline first (the reviewer's queue)."""
    return queue_page(reg, Objection, query)


def objection_case(
    reg: Registry, objection_id: int, reviewer: str | None, reader: Actor
) -> Objection:
    """One objection for its reviewer (grounds and all): refused to a reviewer of another
    authority (audited, :func:`ensure_routed`), and the read is in the subject's access
    listing as a queue page's is."""
    ensure_routed(reg, Objection, objection_id, reviewer, reader)
    with reg.session() as session, session.begin():
        row = session.get(Objection, objection_id)
        if row is None:
            raise NotFoundError(f"no objection {objection_id}", {"objection": objection_id})
        event = AuditEvent("read.review.objections", row.subject_id, {"id": row.id})
        append(session, reader, [event])
        return row


def pending_row(session: Session, model: type[Any], entry_id: int, what: str) -> Any:
    """The pending case ``entry_id``, read under its subject's lock and its own row lock (so a
    concurrent decision is seen as made); refuse one already decided."""
    found = session.get(model, entry_id)
    if found is None:
        raise NotFoundError(f"no {what} {entry_id}", {what: entry_id})
    lock_subjects(session, [found.subject_id])
    row = session.get(model, entry_id, with_for_update=True, populate_existing=True)
    if row is None:  # pragma: no cover - cases are deleted only with their subject
        raise NotFoundError(f"no {what} {entry_id}", {what: entry_id})
    if row.status != PENDING:
        raise AlreadyDecidedError(
            f"{what} {entry_id} was already decided on {row.decided_on} by {row.decided_by}",
            {what: entry_id, "status": row.status, "decided_on": str(row.decided_on)},
        )
    return row


def decide_objection(
    reg: Registry,
    objection_id: int,
    outcome: DisputeOutcome,
    reason: str,
    actor: Actor,
    *,
    authority: str | None = None,
) -> Objection:
    """Decide a pending objection (final): upheld keeps the record, corrected and revoked end
    it; the subject is notified of the outcome and its reasons. ``authority``: the reviewer's
    (a reviewer of another authority is refused)."""
    ensure_routed(reg, Objection, objection_id, authority, actor)
    with reg.session() as session, session.begin():
        found: Objection = pending_row(session, Objection, objection_id, "objection")
        today = reg.state(session).as_of
        if found.link_id is not None:
            decided = LinkChange("decide", today, outcome)
            return decide_link_objection(session, reg, found, decided, Decided(reason, actor))
        note = {"objection": found.id, "outcome": str(outcome)}
        row = session.get(RecordRow, found.record_id)
        if row is None:  # pragma: no cover - retention keeps records under objection
            raise NotFoundError(f"the record of objection {objection_id} is gone", {})
        change = StatusChange("decide-dispute", row.agency, row.source_id, today, outcome)
        apply_change(session, reg, change, actor, note)
        found.status, found.outcome, found.reason = DECIDED, str(outcome), reason
        found.decided_on, found.decided_by = today, actor.name
        body = {
            "objection": found.id,
            "record": row.key,
            "outcome": str(outcome),
            "reason": reason,
            "decided_on": today.isoformat(),
            "late": today > found.deadline,
        }
        add_notice(session, found.subject_id, "decision", body, row.id)
        return found


def case_key(found: Objection) -> str:
    """The key of what the objection is to: ``r<id>`` or ``l<id>``."""
    if found.record_id is not None:
        return record_key(found.record_id)
    return link_key(found.link_id or 0)


def notify_overdue_objections(session: Session, today: date, actor: Actor) -> int:
    """Tell each subject whose objection passed its deadline undecided that the record is
    suspended until it is decided (once per objection)."""
    events = []
    for found in overdue(session, Objection, today):
        found.overdue_noticed = True
        body = {
            "objection": found.id,
            "record": case_key(found),
            "deadline": found.deadline.isoformat(),
            "message": "your objection was not decided by its deadline: what you objected to "
            "is suspended (it counts for nothing) until it is decided",
        }
        add_notice(session, found.subject_id, "suspension", body, found.record_id)
        details = {"objection": found.id, "record": case_key(found)}
        events.append(AuditEvent("write.objection.overdue", found.subject_id, details))
    append(session, actor, events)
    return len(events)
