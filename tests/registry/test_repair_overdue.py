"""An overdue repair decision suspends the records the application covers, as an overdue
objection suspends its record: from the deadline until the decision, in the registry's stored
assessment, after ``registry tick``."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from socialcredit.registry import Registry
from socialcredit.registry.store.models import AssessmentList, AssessmentRow, Notice
from socialcredit.registry.workflows.dueprocess import advance
from socialcredit.registry.workflows.repair import apply_for_repair, decide_repair
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import O1, assert_stored_equal_engine

PENALTY = "The administrative organ that made the penalty decision"
LIST = "serious-violators"


def _listed(registry: Registry) -> None:
    record = {
        "id": "p-1",
        "subject": O1,
        "item": "ENT-PENALTY-SERIOUS",
        "authority": "Fuzhou Market Regulation Bureau",
        "reference": "Rong Shi Jian Fa (2024) 9",
        "decided_on": "2024-11-01",
        "notified_on": "2024-11-02",
    }
    submit_record(registry, record, Submission(PENALTY, OPERATOR))


def _state(registry: Registry) -> tuple[bool, str]:
    with registry.session() as session:
        listed = session.get(AssessmentList, (O1, LIST)) is not None
        body = session.get(AssessmentRow, O1)
        assert body is not None
        return listed, body.body["records"][0]["status"]


def test_an_overdue_repair_decision_suspends_the_listing_until_decided(
    registry: Registry,
) -> None:
    _listed(registry)
    assert _state(registry) == (True, "counting")
    application = apply_for_repair(
        registry, O1, LIST, "penalty paid, violation corrected", (True, True), OPERATOR
    )
    deadline = application.deadline
    assert deadline == date(2025, 1, 1) + timedelta(days=15)  # calendar days on this list
    advance(registry, deadline - timedelta(days=1), OPERATOR)
    assert _state(registry) == (True, "counting")  # not late yet
    _, swept = advance(registry, deadline, OPERATOR)
    assert swept.repairs == 1
    assert _state(registry) == (False, "suspended")  # late: the listing is suspended
    assert_stored_equal_engine(registry)
    with registry.session() as session:
        late = session.execute(select(Notice).where(Notice.kind == "repair-late")).scalar_one()
        assert late.body is not None and late.body["records"] == application.records
    advance(registry, deadline + timedelta(days=10), OPERATOR)
    decide_repair(registry, application.id, False, "no proof of correction", OPERATOR)
    assert _state(registry) == (True, "counting")  # refused: the listing holds again
    assert_stored_equal_engine(registry)


def test_a_repair_decided_in_time_suspends_nothing(registry: Registry) -> None:
    _listed(registry)
    application = apply_for_repair(
        registry, O1, LIST, "penalty paid, violation corrected", (True, True), OPERATOR
    )
    advance(registry, application.deadline - timedelta(days=2), OPERATOR)
    decide_repair(registry, application.id, False, "no proof of correction", OPERATOR)
    advance(registry, application.deadline + timedelta(days=3), OPERATOR)
    assert _state(registry) == (True, "counting")
    assert_stored_equal_engine(registry)
