"""Service of notice (principle 4): the channel's receipt, and substitute service.

A notice in the outbox (``notices.status``) is ``queued`` until a sender accepts it, then
``sent``. The channel's receipt makes it ``delivered`` (confirmed by the channel) or
``failed``; a failed notice of a record is served by substitute service at once: publication,
complete :data:`SUBSTITUTE_DAYS` later (``substitute``, with that date in ``served_on``).

The record's own notice state follows its notice (``records.notice``): ``pending`` while the
registry's notice is queued or sent, ``served`` on the day the channel confirms delivery,
``substitute`` (with ``notified_on`` the day substitute service completes) after a failure. The
engine counts the notice period from ``notified_on`` only once the notice is served, so a
negative record takes effect only after service and the notice period. Every date is the
registry's date; the wall clock is only the audit timestamp.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcredit.engine import NoticeState
from socialcredit.engine.records import UNSERVED
from socialcredit.errors import LifecycleError, NotFoundError
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.models import Notice, RecordRow, Subject
from socialcredit.registry.writes.assessrows import to_record
from socialcredit.registry.writes.events import event_row
from socialcredit.registry.writes.notices import SENT
from socialcredit.registry.writes.reassess import Scope, reassess
from socialcredit.registry.writes.retention_rules import retain_until

DELIVERED, FAILED, SUBSTITUTE = "delivered", "failed", "substitute"
SUBSTITUTE_DAYS = 30
"""Service by public announcement is deemed complete 30 days after publication (Civil Procedure
Law of the PRC, 2023 revision, article 95)."""


@dataclass(frozen=True)
class Receipt:
    """What the channel reports about one sent notice."""

    notice: int
    delivered: bool
    detail: str = ""  # the channel's own words, e.g. a bounce message


def _sent_notice(session: Session, receipt: Receipt) -> Notice:
    query = select(Notice).where(Notice.id == receipt.notice).with_for_update()
    notice = session.execute(query).scalar_one_or_none()
    if notice is None:
        raise NotFoundError(f"no notice {receipt.notice}", {"notice": receipt.notice})
    if notice.status != SENT:
        raise LifecycleError(
            f"notice {notice.id} is {notice.status}: only a sent notice takes a receipt",
            {"notice": notice.id, "status": notice.status},
        )
    return notice


def _serve(
    notice: Notice, record: RecordRow | None, receipt: Receipt, today: date
) -> list[tuple[str, date, dict[str, Any]]]:
    """Move the notice (and its record, if that waits for it); the record's events."""
    waiting = record is not None and record.notice in {str(s) for s in UNSERVED}
    if receipt.delivered:
        notice.status, notice.served_on = DELIVERED, today
        if record is None or not waiting:
            return []
        record.notice, record.notified_on = str(NoticeState.SERVED), today
        return [("notice served", today, {"by": "delivery", "notice": notice.id})]
    notice.status, notice.last_error = FAILED, receipt.detail[:1000] or None
    if record is None or not waiting:
        return []
    served = today + timedelta(days=SUBSTITUTE_DAYS)
    notice.status, notice.served_on = SUBSTITUTE, served
    record.notice, record.notified_on = str(NoticeState.SUBSTITUTE), served
    details = {"notice": notice.id, "by": "publication", "served_on": served.isoformat()}
    return [
        ("notice failed", today, {"notice": notice.id, "detail": receipt.detail[:200]}),
        ("substitute service", today, details),
    ]


def record_receipt(reg: Registry, receipt: Receipt, actor: Actor) -> Notice:
    """Apply the channel's receipt for a sent notice; raise (changing nothing) otherwise."""
    with reg.session() as session, session.begin():
        notice = _sent_notice(session, receipt)
        today, now = reg.state(session).as_of, datetime.now(UTC)
        record = None
        if notice.kind == "record" and notice.record_id is not None:
            record = session.get(RecordRow, notice.record_id, with_for_update=True)
        events = _serve(notice, record, receipt, today)
        if record is not None and events:
            for kind, on, details in events:
                session.add(event_row(record.id, kind, on, now, actor.name, details))
            active = reg.policies(session)
            subject = session.get(Subject, record.subject_id)
            stored = to_record(record, "" if subject is None else subject.kind)
            record.retain_until = retain_until(active.policy_set, stored)
            reassess(session, active, Scope([record.subject_id], today, actor.name))
        details = {"notice": notice.id, "status": notice.status, "on": today.isoformat()}
        audit = AuditEvent("write.notice.receipt", notice.subject_id, details)
        append(session, actor, [audit])
        return notice
