"""Retention: delete records past their retention date (see ``retention_rules``).

For each deleted record the registry keeps, in ``retired_records``, a hash of its (agency,
record id) (so the same record cannot be registered again), its item, the SHA-256 of its
payload and the dates: no subject and no payload. Its events are deleted, and so is every copy
of personal data about it (:mod:`~socialcredit.registry.writes.erasure`: objections, repair
applications, notices' content); quarantined lines past their own retention date are deleted
too; an audit entry (with the subject's pseudonym only) says what
was removed, and one per chunk counts what else was erased. A subject left without records
loses its assessment, its row, its file copies, its casework and its principals, unless a link
still names it. Links are deleted five years after they end (:mod:`.linkretention`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.orm import Session

from socialcredit.errors import RegistryError
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import Contact
from socialcredit.registry.store.models import (
    RecordEvent,
    RecordRow,
    RetiredRecord,
    Subject,
)
from socialcredit.registry.store.quarantine import QuarantineLine
from socialcredit.registry.writes.erasure import (
    erase_orphan_repairs,
    erase_record_casework,
    erase_subjects,
)
from socialcredit.registry.writes.linkretention import link_retention, linked_subjects
from socialcredit.registry.writes.reassess import Scope, reassess
from socialcredit.registry.writes.submit import source_hash


@dataclass
class RetentionReport:
    as_of: date
    records: int = 0
    subjects: int = 0
    links: int = 0
    by_item: Counter[str] = field(default_factory=Counter)
    quarantine: int = 0  # quarantined lines deleted


def _purge_quarantine(reg: Registry, day: date, actor: Actor) -> int:
    """Delete the quarantined lines kept until ``day`` or before (their raw text is personal
    data), with one audit entry counting them."""
    with reg.session() as session, session.begin():
        expired = delete(QuarantineLine).where(QuarantineLine.retain_until <= day)
        count = int(getattr(session.execute(expired), "rowcount", 0) or 0)
        if count:
            append(
                session, actor, [AuditEvent("write.retention.erase", None, {"quarantine": count})]
            )
    return count


Position = tuple[date, int]
"""Where a retention run is: the retention date and id of the last record it looked at."""


def expired_query(day: date, after: Position | None, limit: int) -> Select[Any]:
    """Up to ``limit`` records whose retention ended on or before ``day``, after ``after``, in
    order of retention date then id: a range of the index on ``retain_until``, whatever the
    registry's size. (In id order it walked the primary key and filtered every record.)
    Records with a dispute awaiting its decision are kept, and skipped."""
    until = RecordRow.retain_until
    undecided = (RecordRow.disputed_on.is_not(None)) & (RecordRow.dispute_decided_on.is_(None))
    query = select(RecordRow).where(until <= day, ~undecided)
    if after is not None:
        last_until, last_id = after
        query = query.where(until >= last_until, or_(until > last_until, RecordRow.id > last_id))
    return query.order_by(until, RecordRow.id).limit(limit)


def _forget(session: Session, rows: list[RecordRow], day: date) -> list[AuditEvent]:
    ids = [r.id for r in rows]
    audit = [
        AuditEvent(
            "write.retention.delete",
            r.subject_id,
            {"record": r.key, "item": r.item, "retain_until": r.retain_until.isoformat()},
        )
        for r in rows
    ]
    session.add_all(
        RetiredRecord(
            source_hash=source_hash(r.agency, r.source_id),
            record_id=r.id,
            item=r.item,
            payload_sha256=r.payload_sha256,
            retain_until=r.retain_until,
            retired_on=day,
        )
        for r in rows
    )
    erased = erase_record_casework(session, ids)
    session.execute(delete(RecordEvent).where(RecordEvent.record_id.in_(ids)))
    session.execute(delete(RecordRow).where(RecordRow.id.in_(ids)))
    erased += erase_orphan_repairs(session, sorted({r.subject_id for r in rows}))
    return [*audit, AuditEvent("write.retention.erase", None, dict(sorted(erased.items())))]


def drop_empty_subjects(session: Session, subjects: list[str]) -> list[AuditEvent]:
    """Delete the subjects left without records and links, and all that remains about them."""
    left = select(RecordRow.subject_id).where(RecordRow.subject_id.in_(subjects))
    keep = set(session.execute(left).scalars()) | linked_subjects(session, subjects)
    empty = [s for s in subjects if s not in keep]
    if not empty:
        return []
    erased = erase_subjects(session, empty)
    _delete_contacts(session, empty)
    session.execute(delete(Subject).where(Subject.id.in_(empty)))
    audit = [AuditEvent("write.retention.subject", s, {}) for s in empty]
    return [*audit, AuditEvent("write.retention.erase", None, dict(sorted(erased.items())))]


def _delete_contacts(session: Session, subjects: list[str]) -> None:
    """The subjects' contact entries (their own channels: personal data)."""
    session.execute(delete(Contact).where(Contact.subject_id.in_(subjects)))


def retention(
    reg: Registry,
    day: date | None,
    actor: Actor,
    progress: Callable[[int], None] | None = None,
) -> RetentionReport:
    """Delete every record whose retention ended on or before ``day`` (default: today's)."""
    with reg.session() as session:
        today = reg.state(session).as_of
    day = day or today
    if day > today:
        raise RegistryError(
            f"retention on {day} is after the registry's date {today}: run the tick first",
            {"registry_date": today.isoformat(), "as_of": day.isoformat()},
        )
    report, last = RetentionReport(day), None
    report.quarantine = _purge_quarantine(reg, day, actor)
    while True:
        with reg.session() as session, session.begin():
            query = expired_query(day, last, reg.settings.chunk_size)
            rows = list(session.execute(query).scalars())
            if not rows:
                break
            last = (rows[-1].retain_until, rows[-1].id)
            subjects = sorted({r.subject_id for r in rows})
            items = [r.item for r in rows]
            audit = _forget(session, rows, day)
            reassess(session, reg.policies(session), Scope(subjects, today, actor.name))
            dropped = drop_empty_subjects(session, subjects)
            append(session, actor, [*audit, *dropped])
        report.records += len(rows)
        report.subjects += sum(e.action == "write.retention.subject" for e in dropped)
        report.by_item.update(items)
        if progress is not None:
            progress(len(rows))
    report.links = link_retention(reg, day, actor, drop_empty_subjects)
    return report
