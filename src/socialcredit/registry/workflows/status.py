"""Every door to a record's status goes through here: the HTTP API and the command line alike.

Resolution and revocation carry their reason; it is stored with the status event and the audit
entry and notified to the subject (kind ``record-status``). An objection is filed and decided
by the objection workflow (``workflows.objections``), addressed here by the agency's record id
as the command line addresses records: it reaches the deciding authority's reviewer queue.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from socialcredit.engine import DisputeOutcome
from socialcredit.errors import NotFoundError, RequestInvalidError
from socialcredit.registry.audit import Actor
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import Objection
from socialcredit.registry.store.links import LinkRow
from socialcredit.registry.store.models import RecordRow
from socialcredit.registry.workflows.objections import (
    PENDING,
    add_notice,
    decide_objection,
    file_objection,
)
from socialcredit.registry.writes.lifecycle import StatusChange, apply_change, find_record

REASONED = ("resolve", "revoke")


def _required(text: str, what: str, action: str) -> str:
    if not text.strip():
        raise RequestInvalidError(f"{action} needs its {what}", {"action": action})
    return text.strip()


def change_with_reason(
    session: Session, reg: Registry, change: StatusChange, reason: str, actor: Actor
) -> RecordRow:
    """Resolve or revoke in the caller's transaction, with the reason stored and notified."""
    if change.action not in REASONED:
        raise RequestInvalidError(f"{change.action} is not a resolution or revocation", {})
    why = _required(reason, "reason", change.action)
    row = apply_change(session, reg, change, actor, {"reason": why})
    body = {"record": row.key, "action": change.action, "on": change.on.isoformat(), "reason": why}
    add_notice(session, row.subject_id, "record-status", body, row.id)
    return row


def resolve_or_revoke(reg: Registry, change: StatusChange, reason: str, actor: Actor) -> RecordRow:
    """:func:`change_with_reason` in a transaction of its own."""
    with reg.session() as session, session.begin():
        return change_with_reason(session, reg, change, reason, actor)


def _row(reg: Registry, agency: str, source_id: str) -> RecordRow:
    with reg.session() as session:
        return find_record(session, agency, source_id)


def dispute(reg: Registry, agency: str, source_id: str, grounds: str, actor: Actor) -> Objection:
    """File the subject's objection to the record, with its grounds, on the registry's date."""
    why = _required(grounds, "grounds", "dispute")
    row = _row(reg, agency, source_id)
    return file_objection(reg, row.subject_id, row.key, why, actor)


def decide_dispute(
    reg: Registry,
    agency: str,
    source_id: str,
    outcome: DisputeOutcome,
    reason: str,
    actor: Actor,
) -> Objection:
    """Decide the record's pending objection, with its reason, on the registry's date."""
    why = _required(reason, "reason", "decide-dispute")
    row = _row(reg, agency, source_id)
    pending = _pending(reg, Objection.record_id == row.id, "record", agency, source_id)
    return decide_objection(reg, pending, outcome, why, actor)


def _pending(reg: Registry, of: ColumnElement[bool], what: str, agency: str, source_id: str) -> int:
    """The id of the pending objection ``of`` a record or link (a condition on its column)."""
    query = select(Objection.id).where(of, Objection.status == PENDING)
    with reg.session() as session:
        pending = session.execute(query).scalar_one_or_none()
    if pending is None:
        raise NotFoundError(
            f"{what} {source_id!r} of agency {agency!r} has no objection awaiting a decision",
            {"agency": agency, what: source_id},
        )
    return int(pending)


def _link(reg: Registry, agency: str, source_id: str) -> LinkRow:
    query = select(LinkRow).where(LinkRow.agency == agency, LinkRow.source_id == source_id)
    with reg.session() as session:
        row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFoundError(
            f"no link {source_id!r} of agency {agency!r} is registered",
            {"agency": agency, "link": source_id},
        )
    return row


def dispute_link(
    reg: Registry, agency: str, source_id: str, grounds: str, actor: Actor
) -> Objection:
    """File the person's objection to the link, with its grounds, on the registry's date."""
    why = _required(grounds, "grounds", "dispute")
    row = _link(reg, agency, source_id)
    return file_objection(reg, row.person_id, row.key, why, actor)


def decide_link_dispute(
    reg: Registry, agency: str, source_id: str, outcome: DisputeOutcome, reason: str, actor: Actor
) -> Objection:
    """Decide the link's pending objection (upheld or revoked), with its reason."""
    why = _required(reason, "reason", "decide-dispute")
    row = _link(reg, agency, source_id)
    pending = _pending(reg, Objection.link_id == row.id, "link", agency, source_id)
    return decide_objection(reg, pending, outcome, why, actor)
