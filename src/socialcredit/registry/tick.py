"""The tick: bring every assessment that time has changed up to a new registry date.

Only subjects whose stored ``next_change_on`` is on or before the new date are touched, found
through the index on that column, in chunks of one transaction each. The registry's date moves
first, so an interrupted tick is finished by running it again with the same date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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


def _due(session: Session, day: date, limit: int | None = None) -> list[str]:
    query = (
        select(AssessmentRow.subject_id)
        .where(AssessmentRow.next_change_on <= day)
        .order_by(AssessmentRow.subject_id)
        .limit(limit)
    )
    return list(session.execute(query).scalars())


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


def tick(
    reg: Registry, day: date, actor: Actor, progress: Callable[[int], None] | None = None
) -> TickReport:
    """Move the registry to ``day`` and reassess the subjects whose assessment changed."""
    previous = _move_date(reg, day, actor)
    subjects = changes = 0
    while True:
        with reg.session() as session, session.begin():
            due = _due(session, day, reg.settings.chunk_size)
            if not due:
                break
            changes += reassess(session, reg.policies(session), Scope(due, day, actor.name))
            audit = [
                AuditEvent("write.assessment.tick", sid, {"as_of": day.isoformat()}) for sid in due
            ]
            append(session, actor, audit)
        subjects += len(due)
        if progress is not None:
            progress(len(due))
    return TickReport(previous, day, subjects, changes)


def reassess_all(reg: Registry, actor: Actor, progress: Callable[[int], None] | None = None) -> int:
    """Reassess every subject (after a policy change), in chunks; return how many."""
    done = 0
    last = ""
    while True:
        with reg.session() as session, session.begin():
            query = (
                select(AssessmentRow.subject_id)
                .where(AssessmentRow.subject_id > last)
                .order_by(AssessmentRow.subject_id)
                .limit(reg.settings.chunk_size)
            )
            chunk = list(session.execute(query).scalars())
            if not chunk:
                return done
            day = reg.state(session).as_of
            reassess(session, reg.policies(session), Scope(chunk, day, actor.name))
            audit = [AuditEvent("write.assessment.policy", s, {}) for s in chunk]
            append(session, actor, audit)
        done, last = done + len(chunk), chunk[-1]
        if progress is not None:
            progress(len(chunk))
