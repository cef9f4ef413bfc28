"""Writers in parallel (PostgreSQL lets them run at once): two submissions about the same
subjects, each reassessing them, both succeed and the stored assessment equals the engine's."""

from __future__ import annotations

import pytest

from socialcredit.errors import RecordConflictError
from socialcredit.registry import Registry
from socialcredit.registry.writes.submit import Submission, submit_lines, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, assert_stored_equal_engine, person, spc, together

pytestmark = pytest.mark.slow  # writers in parallel


def test_two_single_submissions_about_one_subject_both_land(registry: Registry) -> None:
    sub = Submission(COURT, OPERATOR)
    for n in range(10):
        failed = together(
            lambda n=n: submit_record(registry, spc(f"a-{n}", subject=person(1)), sub),
            lambda n=n: submit_record(registry, spc(f"b-{n}", subject=person(1)), sub),
        )
        assert failed == []
    assert_stored_equal_engine(registry)


def test_two_bulk_submissions_about_the_same_subjects_both_land(registry: Registry) -> None:
    sub = Submission(COURT, OPERATOR)
    lines = {
        side: [(n, spc(f"{side}-{n}", subject=person(n % 40))) for n in range(200)] for side in "ab"
    }
    failed = together(*(lambda s=s: submit_lines(registry, lines[s], sub) for s in "ab"))
    assert failed == []
    assert_stored_equal_engine(registry)


def test_one_record_id_submitted_twice_at_once_is_registered_once(registry: Registry) -> None:
    """The same agency record id from two writers at once, about two different subjects: one
    is registered, the other refused as a conflict (not a failure of the database's key)."""
    sub, outcomes = Submission(COURT, OPERATOR), list[str]()

    def submit(subject: str) -> None:
        try:
            outcomes.append(submit_record(registry, spc("same", subject=subject), sub))
        except RecordConflictError:
            outcomes.append("conflict")

    failed = together(lambda: submit(person(1)), lambda: submit(person(2)))
    assert failed == [] and sorted(outcomes) == ["conflict", "registered"]
    assert_stored_equal_engine(registry)
