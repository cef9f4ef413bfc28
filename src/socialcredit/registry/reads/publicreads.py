"""Public list pages audited without flooding: a member shown on a public list page is one
audit entry per list and registry day (``read.public.list`` with the day), visible in the
member's access listing as that day's public showing; further showings that day are counted in
``public_list_reads``. Readers of one list on one day take turns on a lock, so two never count
the same first read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from socialcredit.registry.audit import AuditEvent
from socialcredit.registry.store.models import PublicListRead
from socialcredit.registry.writes.turns import lock_keys


def public_showings(
    session: Session, list_id: str, subjects: Sequence[str], day: date
) -> list[AuditEvent]:
    """Count one showing of each of ``subjects`` on ``list_id`` today; the audit events of the
    day's first showings."""
    lock_keys(session, [f"public-list:{list_id}:{day.isoformat()}"])
    query = select(PublicListRead.subject_id).where(
        PublicListRead.list_id == list_id,
        PublicListRead.day == day,
        PublicListRead.subject_id.in_(subjects),
    )
    seen = set(session.execute(query).scalars())
    if seen:
        session.execute(
            update(PublicListRead)
            .where(
                PublicListRead.list_id == list_id,
                PublicListRead.day == day,
                PublicListRead.subject_id.in_(seen),
            )
            .values(reads=PublicListRead.reads + 1)
        )
    first = [s for s in dict.fromkeys(subjects) if s not in seen]
    session.add_all(PublicListRead(list_id=list_id, subject_id=s, day=day, reads=1) for s in first)
    details = {"list": list_id, "day": day.isoformat(), "counted": "first showing of the day"}
    return [AuditEvent("read.public.list", s, details) for s in first]
