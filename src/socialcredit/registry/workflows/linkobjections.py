"""Objections to a link (principle 9): the person named by a link contests it through the same
objection workflow as a record (:mod:`.objections`).

The objection goes to the authority that established the link (its agency); filing marks the
link disputed at once, and it must be decided by the engine's link review deadline (the
shortest ``objection_review_days`` of the policies in force), after which the engine suspends
the link until it is decided. A decision is ``upheld`` (the link stands) or ``revoked`` (the
link ends on the day of the decision); both are notified to the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from socialcredit.errors import NotFoundError
from socialcredit.registry.audit import Actor
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import DECIDED, PENDING, Objection
from socialcredit.registry.store.links import LinkRow
from socialcredit.registry.store.models import Notice, table
from socialcredit.registry.writes.linkstatus import (
    LinkChange,
    apply_link_change,
    check_link_change,
    link_of,
    link_review_deadline,
)
from socialcredit.registry.writes.notices import notice_values


def _notice(session: Session, subject: str, kind: str, body: dict[str, Any], today: date) -> None:
    """Queue a notice to the person, dated the registry's date ``today``."""
    values = notice_values(subject, kind, body, today, datetime.now(UTC), None)
    session.execute(insert(table(Notice)), [values])


def file_link_objection(
    session: Session, reg: Registry, sid: str, key: str, grounds: str, actor: Actor
) -> Objection:
    """Object to a link naming the subject: disputed today, decided by the authority that
    established it (its agency) by the engine's link review deadline."""
    today = reg.state(session).as_of
    row = link_of(session, sid, key)
    change = LinkChange("dispute", today)
    check_link_change(row, change)
    deadline = link_review_deadline(reg.policies(session).policy_set, today)
    objection = Objection(
        link_id=row.id,
        subject_id=sid,
        authority=row.agency,
        filed_on=today,
        deadline=deadline,
        grounds=grounds,
        status=PENDING,
        overdue_noticed=False,
        filed_at=datetime.now(UTC),
    )
    session.add(objection)
    session.flush()
    apply_link_change(session, reg, row, change, actor, {"objection": objection.id})
    body = {
        "objection": objection.id,
        "link": row.key,
        "filed_on": today.isoformat(),
        "deadline": deadline.isoformat(),
        "message": f"your objection to link {row.key} was received; the link is marked "
        f"disputed and will be decided by {deadline.isoformat()}, or suspended until it is",
    }
    _notice(session, sid, "objection", body, today)
    return objection


@dataclass(frozen=True)
class Decided:
    """Why and by whom a case is decided."""

    reason: str
    actor: Actor


def decide_link_objection(
    session: Session, reg: Registry, found: Objection, change: LinkChange, by: Decided
) -> Objection:
    """Decide a pending objection to a link: upheld keeps it, revoked ends it today."""
    row = session.get(LinkRow, found.link_id)
    if row is None:  # pragma: no cover - retention keeps links under objection
        raise NotFoundError(f"the link of objection {found.id} is gone", {})
    outcome = str(change.outcome)
    note = {"objection": found.id, "outcome": outcome}
    apply_link_change(session, reg, row, change, by.actor, note)
    found.status, found.outcome, found.reason = DECIDED, outcome, by.reason
    found.decided_on, found.decided_by = change.on, by.actor.name
    body = {
        "objection": found.id,
        "link": row.key,
        "outcome": outcome,
        "reason": found.reason,
        "decided_on": change.on.isoformat(),
        "late": change.on > found.deadline,
    }
    _notice(session, found.subject_id, "decision", body, change.on)
    return found
