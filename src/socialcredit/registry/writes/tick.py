"""The tick: bring every assessment that time has changed up to a new registry date.

Only subjects whose stored ``next_change_on`` is on or before the new date are touched, found
through a range of the index on that column (earliest first; a reassessed subject's next change
comes after the new date, so it leaves the range), in chunks of one transaction each (the same
chunked loop reassesses every subject, in subject order, after a policy change). The registry's
date moves first, so an interrupted tick is finished by running it again with the same date.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from socialcredit.engine.hygiene import LATEST_DATE
from socialcredit.errors import RegistryError
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.models import AssessmentRow
from socialcredit.registry.writes.reassess import Scope, reassess


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


MAX_STEP = timedelta(days=5 * 366)
"""The longest a single tick may move the registry's date: nothing counts for more than five
years (principle 6), so a longer jump can only be a mistyped date, and a tick cannot be undone."""


def _check_step(previous: date, day: date) -> None:
    details = {"registry_date": previous.isoformat(), "as_of": day.isoformat()}
    if day < previous:
        raise RegistryError(
            f"the registry is already at {previous}; a tick cannot go back to {day}", details
        )
    if day - previous > MAX_STEP or day > LATEST_DATE:
        raise RegistryError(
            f"a tick from {previous} to {day} is refused: a tick moves at most five years "
            f"and never past {LATEST_DATE} (it cannot be undone; tick in steps)",
            details,
        )


def _move_date(reg: Registry, day: date, actor: Actor) -> date:
    with reg.session() as session, session.begin():
        state = reg.state(session)
        previous = state.as_of
        _check_step(previous, day)
        state.as_of, state.last_tick_on = day, day
        details = {"from": previous.isoformat(), "to": day.isoformat()}
        append(session, actor, [AuditEvent("write.registry.tick", None, details)])
        return previous


def due_query(day: date, limit: int) -> Select[Any]:
    """Up to ``limit`` subjects whose next change is on or before ``day``, earliest first: a
    range of the index on ``next_change_on``, whatever the population's size (ordered by
    subject instead, it would walk the primary key and filter every assessment)."""
    due = AssessmentRow.next_change_on
    return select(AssessmentRow.subject_id).where(due <= day).order_by(due).limit(limit)


def _after(last: str, limit: int) -> Select[Any]:
    """Up to ``limit`` subjects with a stored assessment after ``last``, in subject order."""
    subject = AssessmentRow.subject_id
    return select(subject).where(subject > last).order_by(subject).limit(limit)


@dataclass(frozen=True)
class _Pass:
    """One pass of reassessments: on which day (None: the registry's), and each subject's audit
    entry (action, details)."""

    actor: Actor
    due_by: date | None
    audit: tuple[str, dict[str, Any]]


def _next_chunk(session: Session, work: _Pass, previous: list[str], size: int) -> list[str]:
    """The next chunk after ``previous``: due subjects (a reassessed subject's next change comes
    after the day, so it leaves the range), or every subject in subject order."""
    if work.due_by is None:
        after = _after(previous[-1] if previous else "", size)
        return list(session.execute(after).scalars())
    found = list(session.execute(due_query(work.due_by, size)).scalars())
    stuck = sorted(set(previous) & set(found))
    if stuck:  # still due after its reassessment: the tick would never finish
        raise RegistryError(
            f"subject {stuck[0]!r} is still due on {work.due_by} after its reassessment",
            {"subject": stuck[0], "as_of": work.due_by.isoformat()},
        )
    return found


def _reassess_in_chunks(
    reg: Registry, work: _Pass, progress: Callable[[int], None] | None
) -> tuple[int, int]:
    """Reassess, one chunk (one transaction) at a time, every subject with a stored assessment
    on the registry's date, or (``work.due_by``) those whose next change is on or before that
    date, on that date. Return (subjects, list changes)."""
    subjects = changes = 0
    chunk: list[str] = []
    while True:
        with reg.session() as session, session.begin():
            chunk = _next_chunk(session, work, chunk, reg.settings.chunk_size)
            if not chunk:
                return subjects, changes
            day = work.due_by if work.due_by is not None else reg.state(session).as_of
            scope = Scope(chunk, day, work.actor.name)
            changes += reassess(session, reg.policies(session), scope)
            action, details = work.audit
            append(session, work.actor, [AuditEvent(action, sid, details) for sid in chunk])
        subjects += len(chunk)
        if progress is not None:
            progress(len(chunk))


def tick(
    reg: Registry, day: date, actor: Actor, progress: Callable[[int], None] | None = None
) -> TickReport:
    """Move the registry to ``day`` and reassess the subjects whose assessment changed."""
    previous = _move_date(reg, day, actor)
    audit = ("write.assessment.tick", {"as_of": day.isoformat()})
    subjects, changes = _reassess_in_chunks(reg, _Pass(actor, day, audit), progress)
    return TickReport(previous, day, subjects, changes)


def reassess_all(reg: Registry, actor: Actor, progress: Callable[[int], None] | None = None) -> int:
    """Reassess every subject (after a policy change), in chunks; return how many."""
    work = _Pass(actor, None, ("write.assessment.policy", {}))
    subjects, _ = _reassess_in_chunks(reg, work, progress)
    return subjects
