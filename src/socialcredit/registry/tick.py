"""The tick: bring every assessment that time has changed up to a new registry date.

Only subjects whose stored ``next_change_on`` is on or before the new date are touched, found
through the index on that column, in chunks of one transaction each (the same chunked loop
reassesses every subject after a policy change). The registry's date moves
first, so an interrupted tick is finished by running it again with the same date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select

from socialcredit.errors import RegistryError
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.live import Scope, reassess
from socialcredit.registry.models import AssessmentRow


@dataclass(frozen=True)
class TickReport:
    previous: date
    as_of: date
    subjects: int
    list_changes: int


def count_due(reg: Registry, day: date) -> int:
    with reg.session() as session:
        query = select(func.count()).where(AssessmentRow.next_change_on <= day)
        return session.execute(query).scalar_one()


def _move_date(reg: Registry, day: date, actor: Actor) -> date:
    with reg.session() as session, session.begin():
        state = reg.state(session)
        previous = state.as_of
        if day < previous:
            raise RegistryError(
                f"the registry is already at {previous}; a tick cannot go back to {day}",
                {"registry_date": previous.isoformat(), "as_of": day.isoformat()},
            )
        state.as_of, state.last_tick_on = day, day
        details = {"from": previous.isoformat(), "to": day.isoformat()}
        append(session, actor, [AuditEvent("write.registry.tick", None, details)])
        return previous


def _reassess_in_chunks(
    reg: Registry,
    actor: Actor,
    due_by: date | None,
    audit: tuple[str, dict[str, Any]],
    progress: Callable[[int], None] | None,
) -> tuple[int, int]:
    """Reassess, one chunk (one transaction) at a time in subject order, every subject with a
    stored assessment on the registry's date, or (``due_by``) those whose next change is on or
    before that date, on that date. Each subject gets an audit entry ``audit`` (action, details).
    Return (subjects, list changes)."""
    subjects = changes = 0
    last = ""
    while True:
        with reg.session() as session, session.begin():
            query = select(AssessmentRow.subject_id).where(AssessmentRow.subject_id > last)
            if due_by is not None:
                query = query.where(AssessmentRow.next_change_on <= due_by)
            query = query.order_by(AssessmentRow.subject_id).limit(reg.settings.chunk_size)
            chunk = list(session.execute(query).scalars())
            if not chunk:
                return subjects, changes
            day = due_by if due_by is not None else reg.state(session).as_of
            changes += reassess(session, reg.policies(session), Scope(chunk, day, actor.name))
            action, details = audit
            append(session, actor, [AuditEvent(action, sid, details) for sid in chunk])
        subjects, last = subjects + len(chunk), chunk[-1]
        if progress is not None:
            progress(len(chunk))


def tick(
    reg: Registry, day: date, actor: Actor, progress: Callable[[int], None] | None = None
) -> TickReport:
    """Move the registry to ``day`` and reassess the subjects whose assessment changed."""
    previous = _move_date(reg, day, actor)
    audit = ("write.assessment.tick", {"as_of": day.isoformat()})
    subjects, changes = _reassess_in_chunks(reg, actor, day, audit, progress)
    return TickReport(previous, day, subjects, changes)


def reassess_all(reg: Registry, actor: Actor, progress: Callable[[int], None] | None = None) -> int:
    """Reassess every subject (after a policy change), in chunks; return how many."""
    subjects, _ = _reassess_in_chunks(reg, actor, None, ("write.assessment.policy", {}), progress)
    return subjects
