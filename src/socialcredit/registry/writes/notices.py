"""The notices outbox: notices are rows first, delivered later by a sender, never lost.

A notice stays ``queued`` until its sender accepts it; it is then ``sent``, and its service
goes on with the channel's receipt (``registry.writes.service``). A failed attempt is recorded
with the error, and the notice is retried after an exponential backoff (1, 2, 4 ... minutes, at
most a day). Delivery uses ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two deliverers never
send the same notice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, sessionmaker

from socialcredit.policy.policyset import PolicySet
from socialcredit.registry.store.casework import AuthorityContact, Contact
from socialcredit.registry.store.models import Notice, record_key

MAX_BACKOFF = timedelta(days=1)
QUEUED, SENT = "queued", "sent"


@dataclass(frozen=True)
class OutgoingNotice:
    """What a sender receives: the notice id, its subject and its content, and the subject's
    own channels from the contact directory (its language, its e-mail address, its phone and
    the channel it chose), if any. An escalation notice has no subject (``""``): its channels
    are the authority's escalation contact's."""

    id: int
    subject: str
    kind: str
    body: Mapping[str, Any]
    locale: str | None = None
    email: str | None = None
    phone: str | None = None
    channel: str | None = None


class NoticeSender(Protocol):
    """Delivers one notice or raises (any exception is a failed attempt)."""

    def send(self, notice: OutgoingNotice) -> None: ...


def notice_values(
    subject: str, kind: str, body: dict[str, Any], on: date, now: datetime, record_id: int | None
) -> dict[str, Any]:
    """The column values of a new pending notice (for Core inserts)."""
    return {
        "subject_id": subject,
        "kind": kind,
        "record_id": record_id,
        "list_id": body.get("list"),
        "created_on": on,
        "body": body,
        "status": QUEUED,
        "attempts": 0,
        "next_attempt_at": now,
        "last_error": None,
        "sent_at": None,
    }


def list_notice(
    subject: str, kind: str, membership: Mapping[str, Any], on: date, now: datetime
) -> dict[str, Any]:
    """The values of a list entry or exit notice."""
    return notice_values(subject, kind, dict(membership), on, now, None)


def backoff(attempts: int) -> timedelta:
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


@dataclass(frozen=True)
class DeliveryReport:
    sent: int
    failed: int
    pending: int


def due_query(now: datetime, limit: int) -> Select[Any]:
    """Up to ``limit`` pending notices due by ``now``, the longest waiting first: a range of
    ``ix_notices_due`` in its own order (in id order, every delivery read and sorted all the
    due notices, a whole backlog when a sender had been failing)."""
    due = Notice.next_attempt_at
    query = select(Notice).where(Notice.status == QUEUED, due <= now)
    return query.order_by(due, Notice.id).limit(limit)


def _due(session: Session, now: datetime, limit: int) -> list[Notice]:
    query = due_query(now, limit).with_for_update(skip_locked=True)
    return list(session.execute(query).scalars())


def addressed(
    session: Session, notice_id: int, subject: str, kind: str, body: dict[str, Any]
) -> OutgoingNotice:
    """A notice to ``subject`` in its contact directory's language and to its channels, when
    it has given them (else the sender's defaults); an authority's escalation notice to the
    authority's escalation contact."""
    if not subject and body.get("authority"):
        found = session.get(AuthorityContact, body["authority"])
        if found is not None:
            return OutgoingNotice(
                notice_id, subject, kind, body, found.locale, found.email, found.phone
            )
    contact = session.get(Contact, subject) if subject else None
    if contact is None:
        return OutgoingNotice(notice_id, subject, kind, body)
    return OutgoingNotice(
        notice_id,
        subject,
        kind,
        body,
        contact.locale,
        contact.email,
        contact.phone,
        contact.channel,
    )


def _outgoing(session: Session, notice: Notice) -> OutgoingNotice:
    return addressed(session, notice.id, notice.subject_id or "", notice.kind, notice.body or {})


def _attempt(notice: Notice, outgoing: OutgoingNotice, sender: NoticeSender, now: datetime) -> bool:
    notice.attempts += 1
    try:
        sender.send(outgoing)
    except Exception as exc:
        notice.last_error = f"{type(exc).__name__}: {exc}"[:1000]
        notice.next_attempt_at = now + backoff(notice.attempts)
        return False
    notice.status, notice.sent_at, notice.last_error = SENT, now, None
    return True


def deliver(
    sessions: sessionmaker[Session],
    sender: NoticeSender,
    now: datetime | None = None,
    limit: int = 1000,
) -> DeliveryReport:
    """Send the due notices, one transaction per notice; failures stay queued."""
    moment = now or datetime.now(UTC)
    sent = failed = 0
    with sessions() as session, session.begin():
        ids = [n.id for n in _due(session, moment, limit)]
    for notice_id in ids:
        with sessions() as session, session.begin():
            notice = session.execute(
                select(Notice)
                .where(Notice.id == notice_id, Notice.status == QUEUED)
                .with_for_update(skip_locked=True)
            ).scalar_one_or_none()
            if notice is None:
                continue
            if _attempt(notice, _outgoing(session, notice), sender, moment):
                sent += 1
            else:
                failed += 1
    with sessions() as session:
        pending = session.execute(
            select(func.count()).select_from(Notice).where(Notice.status == QUEUED)
        ).scalar_one()
    return DeliveryReport(sent, failed, pending)


def record_notice_body(
    record_id: int, row: Mapping[str, Any], policies: PolicySet
) -> dict[str, Any]:
    """What a record's notice says: what was recorded, by whom, under which legal basis, from
    when it takes effect and how to object (rendered per locale by ``workflows.templating``)."""
    code = row["item"]
    item = policies.items[code]
    notified = row["notified_on"]
    days = policies.review_days(code)
    working = policies.review_working(code)
    return {
        "record": record_key(record_id),
        "item": code,
        "title": item.title,
        "authority": row["authority"],
        "reference": row["reference"],
        "decided_on": row["decided_on"].isoformat(),
        "notified_on": None if notified is None else notified.isoformat(),
        "legal_basis": item.legal_basis,
        "notice_days": item.notice_days or 0,
        "objection_authority": row["agency"],
        "review_term": policies.review_term(code),
        "review_term_zh": f"{days}个工作日" if working else f"{days}日",
        "objection": f"you may object to this record; an objection is decided within "
        f"{policies.review_term(code)}, and suspends the record if it is not",
    }
