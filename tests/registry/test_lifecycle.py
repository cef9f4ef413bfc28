"""Status changes: each writes an event, reassesses, and refuses histories that cannot be."""

from __future__ import annotations

from datetime import date

import pytest

from socialcredit.engine import DisputeOutcome
from socialcredit.errors import LifecycleError, NotFoundError
from socialcredit.registry import Registry
from socialcredit.registry.reads.checks import check
from socialcredit.registry.reads.subjectfile import subject_file
from socialcredit.registry.writes.lifecycle import StatusChange, change_status
from socialcredit.registry.writes.submit import Submission, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, counts, spc


@pytest.fixture
def listed(registry: Registry) -> Registry:
    submit_record(registry, spc("r-1", decided=date(2024, 10, 1)), Submission(COURT, OPERATOR))
    return registry


def _effect(reg: Registry) -> str:
    return str(check(reg, P1, "flight-booking", OPERATOR).decision["effect"])


def test_resolution_lifts_the_listing(listed: Registry) -> None:
    assert _effect(listed) == "deny"
    change_status(listed, StatusChange("resolve", COURT, "r-1", date(2024, 12, 1)), OPERATOR)
    assert _effect(listed) == "allow"
    found = subject_file(listed, P1, OPERATOR)
    assert "resolved" in [e.kind for e in found.events[found.records[0].id]]
    kinds = [n.kind for n in found.notices]
    assert kinds.count("list-entry") == 1 and kinds.count("list-exit") == 1


def test_decision_on_a_dispute_never_filed_changes_nothing(listed: Registry) -> None:
    before = counts(listed)
    change = StatusChange("decide-dispute", COURT, "r-1", date(2025, 1, 1), DisputeOutcome.UPHELD)
    with pytest.raises(LifecycleError, match="never filed"):
        change_status(listed, change, OPERATOR)
    assert counts(listed) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (StatusChange("resolve", COURT, "r-1", date(2024, 9, 1)), "before the decision date"),
        (StatusChange("revoke", COURT, "r-1", date(2020, 1, 1)), "before the decision date"),
    ],
)
def test_dates_out_of_order_change_nothing(
    listed: Registry, change: StatusChange, message: str
) -> None:
    before = counts(listed)
    with pytest.raises(LifecycleError, match=message):
        change_status(listed, change, OPERATOR)
    assert counts(listed) == before


def test_unknown_record_is_not_found(listed: Registry) -> None:
    with pytest.raises(NotFoundError):
        change_status(listed, StatusChange("revoke", COURT, "nope", date(2025, 1, 1)), OPERATOR)


def test_undecided_dispute_suspends_after_the_deadline(listed: Registry) -> None:
    change_status(listed, StatusChange("dispute", COURT, "r-1", date(2025, 1, 1)), OPERATOR)
    assert _effect(listed) == "deny"  # disputed: still counts until the review deadline
    with pytest.raises(LifecycleError, match="already disputed"):
        change_status(listed, StatusChange("dispute", COURT, "r-1", date(2025, 1, 2)), OPERATOR)
    tick(listed, date(2025, 1, 16), OPERATOR)
    assert _effect(listed) == "allow"
    found = subject_file(listed, P1, OPERATOR)
    assert "suspended" in [e.kind for e in found.events[found.records[0].id]]
    change = StatusChange("decide-dispute", COURT, "r-1", date(2025, 1, 20), DisputeOutcome.UPHELD)
    change_status(listed, change, OPERATOR)
    tick(listed, date(2025, 1, 20), OPERATOR)
    assert _effect(listed) == "deny"
