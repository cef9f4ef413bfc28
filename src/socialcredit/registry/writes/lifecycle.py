"""Status changes of a registered record: resolve, revoke, dispute, decide a dispute.

Each change is checked against the record's history (dates in order, one dispute at a time, a
decision only on a filed dispute), then written as a date on the record row together with its
status event, followed by the subject's reassessment and an audit entry, in one transaction.
A record is addressed by its agency and that agency's record id, so an agency reaches only its
own records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcredit.engine import RECORD_FIELDS, DisputeOutcome, validate_record
from socialcredit.errors import LifecycleError, NotFoundError
from socialcredit.identity import key_kind
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.models import RecordRow, Subject
from socialcredit.registry.writes.events import decision_events, event_row
from socialcredit.registry.writes.reassess import Scope, reassess
from socialcredit.registry.writes.turns import lock_subjects

ACTIONS = ("resolve", "revoke", "dispute", "decide-dispute")


@dataclass(frozen=True)
class StatusChange:
    """One change to the record (``agency``, ``source_id``) on date ``on``."""

    action: str
    agency: str
    source_id: str
    on: date
    outcome: DisputeOutcome | None = None


def find_record(session: Session, agency: str, source_id: str) -> RecordRow:
    """The agency's record ``source_id``; a :class:`NotFoundError` if it has none."""
    query = select(RecordRow).where(RecordRow.agency == agency, RecordRow.source_id == source_id)
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFoundError(
            f"no record {source_id!r} of agency {agency!r} is registered",
            {"agency": agency, "record": source_id},
        )
    return row


def _refuse(change: StatusChange, reason: str) -> LifecycleError:
    return LifecycleError(
        f"cannot {change.action} record {change.source_id!r}: {reason}",
        {"action": change.action, "record": change.source_id, "on": change.on.isoformat()},
    )


def _precondition(row: RecordRow, change: StatusChange) -> str | None:  # noqa: PLR0911
    on = change.on
    if on < row.decided_on:
        return f"{on} is before the decision date {row.decided_on}"
    if change.action == "resolve":
        return f"it was already resolved on {row.resolved_on}" if row.resolved_on else None
    if change.action == "revoke":
        return f"it was already revoked on {row.revoked_on}" if row.revoked_on else None
    if change.action == "dispute":
        return f"it was already disputed on {row.disputed_on}" if row.disputed_on else None
    if row.disputed_on is None:
        return "a decision on a dispute that was never filed"
    if row.dispute_decided_on is not None:
        return f"its dispute was already decided on {row.dispute_decided_on}"
    if on < row.disputed_on:
        return f"{on} is before the dispute was filed on {row.disputed_on}"
    if change.outcome is None:
        return "a dispute decision needs an outcome (upheld, revoked or corrected)"
    return None


def check_change(row: RecordRow, change: StatusChange) -> None:
    """Refuse ``change`` if the record's history does not allow it (the row read under its
    subject's lock)."""
    reason = _precondition(row, change)
    if reason is not None:
        raise _refuse(change, reason)


def _apply(row: RecordRow, change: StatusChange) -> list[tuple[str, date, dict[str, Any]]]:
    on = change.on
    if change.action == "resolve":
        row.resolved_on = on
        return [("resolved", on, {})]
    if change.action == "revoke":
        row.revoked_on = on
        return [("revoked", on, {})]
    if change.action == "dispute":
        row.disputed_on = on
        return [("disputed", on, {})]
    outcome = DisputeOutcome(change.outcome or DisputeOutcome.UPHELD)
    row.dispute_decided_on, row.dispute_outcome = on, str(outcome)
    return list(decision_events(str(outcome), on))


def _engine_fields(row: RecordRow) -> dict[str, Any]:
    """The row as a raw record (``RECORD_FIELDS``; the id is the agency's record id)."""
    raw = {name: getattr(row, name) for name in RECORD_FIELDS if name not in ("id", "subject")}
    return raw | {"id": row.source_id, "subject": row.subject_id}


def change_status(reg: Registry, change: StatusChange, actor: Actor) -> RecordRow:
    """Apply ``change``; raise (changing nothing) if the history does not allow it."""
    with reg.session() as session, session.begin():
        return apply_change(session, reg, change, actor)


def apply_change(
    session: Session,
    reg: Registry,
    change: StatusChange,
    actor: Actor,
    note: dict[str, Any] | None = None,
) -> RecordRow:
    """Apply ``change`` inside the caller's transaction (the objection and repair workflows
    write their own rows in the same one); ``note`` is added to the events and audit entry."""
    if change.action not in ACTIONS:
        raise _refuse(change, f"unknown action (one of: {', '.join(ACTIONS)})")
    active = reg.policies(session)
    today = reg.state(session).as_of
    row = find_record(session, change.agency, change.source_id)
    lock_subjects(session, [row.subject_id])
    session.refresh(row)  # as the last writer of this subject left it
    check_change(row, change)
    events = _apply(row, change)
    raw = {k: (None if v is None else str(v)) for k, v in _engine_fields(row).items()}
    subject = session.get(Subject, row.subject_id)
    if subject is not None:  # the key's kind, so that an all-digit credit code reads as one
        raw["identifier_kind"] = key_kind(row.subject_id, subject.kind)
    checked = validate_record(raw, active.policy_set)
    if checked.reasons:
        raise _refuse(change, "; ".join(checked.reasons))
    now = datetime.now(UTC)
    for kind, on, details in events:
        session.add(event_row(row.id, kind, on, now, actor.name, details | (note or {})))
    reassess(session, active, Scope([row.subject_id], today, actor.name))
    details = {"record": row.key, "agency": row.agency, "on": change.on.isoformat()}
    audit = AuditEvent(f"write.record.{change.action}", row.subject_id, details | (note or {}))
    append(session, actor, [audit])
    return row
