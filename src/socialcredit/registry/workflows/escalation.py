"""Escalation of due-process cases near their deadline (principle 9: decided in time).

After the registry date moves (``registry tick``), every pending objection and repair
application whose deadline is within :data:`ESCALATE_DAYS` working days of the registry date (on
the official Chinese calendar, ``engine.workdays``), or already past, is escalated once: it is
marked ``escalated_on`` (it then comes first in its authority's queue) and a notice goes to the
authority's escalation contact (``authority_contacts``: set with ``registry escalation-contact``;
without one, the notice is addressed to the sender's default recipient). The notice names the
case and its deadline, never its grounds. Each escalation is audited under the case's subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from socialcredit.engine.workdays import working_days_after
from socialcredit.errors import RequestInvalidError
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import AuthorityContact, Objection, RepairApplication
from socialcredit.registry.store.models import Notice, table
from socialcredit.registry.workflows.templating import LOCALES
from socialcredit.registry.writes.notices import notice_values

ESCALATE_DAYS = 3
"""Working days before its deadline from which a pending case is escalated."""
ESCALATION = "escalation"
_KINDS: tuple[tuple[str, type[Any]], ...] = (
    ("objection", Objection),
    ("repair", RepairApplication),
)


def escalate_near_deadline(
    session: Session, today: date, actor: Actor, days: int = ESCALATE_DAYS
) -> int:
    """Escalate (once) each pending case due within ``days`` working days of ``today``."""
    if days < 0:
        raise RequestInvalidError(f"escalation days must be 0 or more, not {days}", {})
    horizon = working_days_after(today, days)
    now, events, notices = datetime.now(UTC), [], []
    for what, model in _KINDS:
        query = select(model).where(
            model.status == "pending", model.escalated_on.is_(None), model.deadline <= horizon
        )
        for case in session.execute(query.order_by(model.deadline, model.id)).scalars():
            case.escalated_on = today
            body = {
                "case": what,
                "id": case.id,
                "authority": case.authority,
                "deadline": case.deadline.isoformat(),
                "escalated_on": today.isoformat(),
                "overdue": case.deadline <= today,
            }
            to_authority = {"subject_id": None}  # to the authority, not to a subject
            notices.append(notice_values("", ESCALATION, body, today, now, None) | to_authority)
            details = {"case": what, "id": case.id, "deadline": case.deadline.isoformat()}
            events.append(AuditEvent("write.review.escalate", case.subject_id, details))
    if notices:
        session.execute(insert(table(Notice)), notices)
    append(session, actor, events)
    return len(events)


@dataclass(frozen=True)
class EscalationContact:
    """Where an authority's escalations go, and their language."""

    authority: str
    locale: str
    email: str | None = None
    phone: str | None = None


def set_escalation_contact(reg: Registry, spec: EscalationContact, actor: Actor) -> None:
    """Set (or replace) the authority's escalation contact (audited)."""
    if spec.locale not in LOCALES:
        raise RequestInvalidError(
            f"locale {spec.locale!r} has no notice templates (one of: {', '.join(LOCALES)})",
            {"locale": spec.locale},
        )
    if spec.email is None and spec.phone is None:
        raise RequestInvalidError("an escalation contact needs an e-mail address or a phone", {})
    if spec.email is not None and "@" not in spec.email:
        raise RequestInvalidError(f"{spec.email!r} is not an e-mail address", {})
    with reg.session() as session, session.begin():
        reg.state(session)
        row = session.get(AuthorityContact, spec.authority)
        row = row or AuthorityContact(authority=spec.authority)
        row.locale, row.email, row.phone = spec.locale, spec.email, spec.phone
        row.updated_at = datetime.now(UTC)
        session.add(row)
        details = {"authority": spec.authority, "locale": spec.locale}
        append(session, actor, [AuditEvent("write.escalation.contact", None, details)])
