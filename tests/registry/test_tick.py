"""The tick touches only the subjects that time has changed, found through the index on
``next_change_on``: a range of it, never a walk of every assessment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from socialcredit.errors import RegistryError
from socialcredit.registry import Registry
from socialcredit.registry.store.models import AssessmentRow, AuditEntry
from socialcredit.registry.writes import tick
from socialcredit.registry.writes.submit import Submission, submit_lines
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, assert_stored_equal_engine, person, spc
from tests.registry.plans import assert_index_range


def test_the_due_subjects_are_a_range_of_the_next_change_index(registry: Registry) -> None:
    due = tick.due_query(date(2025, 6, 1), 500)
    assert_index_range(registry, due, "ix_assessments_next_change_on", "next_change_on")


def test_the_tick_reassesses_exactly_the_due_subjects(registry: Registry) -> None:
    first = date(2024, 11, 1)
    records = [spc(f"due-{n}", person(n), first + timedelta(days=n)) for n in range(60)]
    report = submit_lines(registry, list(enumerate(records, 1)), Submission(COURT, OPERATOR))
    assert report.count("registered") == 60
    day = date(2025, 1, 20)
    with registry.session() as session:
        due = session.scalar(select(func.count()).where(AssessmentRow.next_change_on <= day))
    assert 0 < due < 60  # the notice periods end on different days
    done = tick.tick(registry, day, OPERATOR)
    assert done.subjects == due
    with registry.session() as session:
        ticked = session.scalar(
            select(func.count()).where(AuditEntry.action == "write.assessment.tick")
        )
        left = session.scalar(select(func.count()).where(AssessmentRow.next_change_on <= day))
    assert (ticked, left) == (due, 0)
    assert_stored_equal_engine(registry)


def test_a_subject_still_due_after_its_reassessment_stops_the_tick(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reassessment whose next change is not after the day would keep its subject in range
    for ever; the tick says so instead of looping."""
    records = [spc(f"stuck-{n}", subject=person(n)) for n in range(3)]
    submit_lines(registry, list(enumerate(records, 1)), Submission(COURT, OPERATOR))

    def unmoved(session: Session, *_args: object) -> int:
        session.execute(update(AssessmentRow).values(next_change_on=date(2025, 1, 2)))
        return 0

    with registry.session() as session:
        day = session.scalar(select(func.max(AssessmentRow.next_change_on)))
    assert day is not None
    monkeypatch.setattr(tick, "reassess", unmoved)
    with pytest.raises(RegistryError, match="still due"):
        tick.tick(registry, day, OPERATOR)
