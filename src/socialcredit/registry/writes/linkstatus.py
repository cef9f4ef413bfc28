"""Status changes of a registered link: disputed by its person, the dispute decided.

As for a record, each change is checked against the link's history (one dispute, a decision
only on a filed dispute, dates in order), then written as a date on the link row with its
status event, followed by the person's reassessment and an audit entry (for the person and the
organisation), in the caller's transaction. A decision ``revoked`` ends the link on the day it
is decided, and its retention runs from then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from socialcredit.engine import DisputeOutcome
from socialcredit.engine.links import review_deadline
from socialcredit.engine.reach import review_terms
from socialcredit.errors import LifecycleError, NotFoundError
from socialcredit.policy.policyset import PolicySet
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.links import LinkEvent, LinkRow
from socialcredit.registry.store.models import table
from socialcredit.registry.writes.linkintake import link_ends
from socialcredit.registry.writes.linkrows import link_event, to_link
from socialcredit.registry.writes.reassess import Scope, reassess
from socialcredit.registry.writes.retention_rules import link_retain_until
from socialcredit.registry.writes.turns import lock_subjects

LINK_OUTCOMES = (DisputeOutcome.UPHELD, DisputeOutcome.REVOKED)


def link_of(session: Session, person: str, key: str) -> LinkRow:
    """The link ``l<id>`` naming ``person``; another subject's link is as good as absent."""
    digits = key[1:] if key.startswith("l") else ""
    number = int(digits) if digits.isascii() and digits.isdigit() else 0
    row = session.get(LinkRow, number) if 0 < number < 2**63 else None
    if row is None or row.person_id != person:
        raise NotFoundError(f"you have no link {key!r}", {"link": key})
    return row


def link_review_deadline(policies: PolicySet, filed: date) -> date:
    """When an objection to a link filed on ``filed`` must be decided: the engine's deadline
    (the shortest of the policies in force), after which the link is suspended."""
    return review_deadline(filed, review_terms(policies))


@dataclass(frozen=True)
class LinkChange:
    """``dispute`` or ``decide`` the link on ``on`` (``outcome`` for a decision)."""

    action: str
    on: date
    outcome: DisputeOutcome | None = None


def _refuse(row: LinkRow, change: LinkChange, reason: str) -> LifecycleError:
    return LifecycleError(
        f"cannot {change.action} link {row.key}: {reason}",
        {"action": change.action, "link": row.key, "on": change.on.isoformat()},
    )


def _dispute_precondition(row: LinkRow, change: LinkChange) -> str | None:
    if row.disputed_on is not None:
        return f"it was already disputed on {row.disputed_on}"
    if row.revoked_on is not None and row.revoked_on <= change.on:
        return f"it was revoked on {row.revoked_on}"
    return None


def _precondition(row: LinkRow, change: LinkChange) -> str | None:
    if change.action == "dispute":
        return _dispute_precondition(row, change)
    if row.disputed_on is None:
        return "a decision on a dispute that was never filed"
    if row.dispute_decided_on is not None:
        return f"its dispute was already decided on {row.dispute_decided_on}"
    if change.outcome not in LINK_OUTCOMES:
        return "a link's dispute is decided upheld or revoked"
    return None


def check_link_change(row: LinkRow, change: LinkChange) -> None:
    """Refuse ``change`` if the link's history does not allow it."""
    reason = _precondition(row, change)
    if reason is not None:
        raise _refuse(row, change, reason)


def apply_link_change(
    session: Session, reg: Registry, row: LinkRow, change: LinkChange, actor: Actor, note: Any
) -> None:
    """Apply ``change`` to the link in the caller's transaction; ``note`` (a dict) goes into the
    events and the audit entries."""
    lock_subjects(session, [row.person_id])
    session.refresh(row)
    check_link_change(row, change)
    now, details = datetime.now(UTC), dict(note or {})
    events = []
    if change.action == "dispute":
        row.disputed_on = change.on
        events.append(link_event(row.id, "disputed", change.on, now, actor.name, details))
    else:
        outcome = DisputeOutcome(change.outcome or DisputeOutcome.UPHELD)
        row.dispute_decided_on, row.dispute_outcome = change.on, str(outcome)
        decided = details | {"outcome": str(outcome)}
        events.append(link_event(row.id, "decided", change.on, now, actor.name, decided))
        if outcome is DisputeOutcome.REVOKED:
            events.append(link_event(row.id, "revoked", change.on, now, actor.name, details))
    row.retain_until = link_retain_until(link_ends(to_link(row)))
    session.flush()
    session.execute(insert(table(LinkEvent)), events)
    today = reg.state(session).as_of
    reassess(session, reg.policies(session), Scope([row.person_id], today, actor.name))
    audit = {"link": row.key, "agency": row.agency, "on": change.on.isoformat()} | details
    action = f"write.link.{change.action}"
    append(
        session,
        actor,
        [AuditEvent(action, row.person_id, audit), AuditEvent(action, row.organisation_id, audit)],
    )
