"""Principle 13 in the registry: a child's court record is registered, but the child is never
on the public list page, never denied at a service, and the file says why (both databases)."""

from __future__ import annotations

from sqlalchemy import select

from socialcredit.registry import Registry
from socialcredit.registry.reads.checks import check
from socialcredit.registry.reads.disclosure import list_members, mask
from socialcredit.registry.reads.subjectfile import subject_file
from socialcredit.registry.store.models import AssessmentList, AssessmentRow, RecordRow
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, spc

COURT_SUB = Submission(COURT, OPERATOR)
CHILD = "110105201406150038"
"""Born 2014-06-15: ten years old on the record's decision date, 2024-12-01."""
DEFAULTERS = "dishonest-judgment-defaulters"
SIX = [
    "flight-booking",
    "hotel-star-rated",
    "luxury-travel",
    "rail-high-speed",
    "rail-soft-sleeper",
    "real-estate-purchase",
]


def _members(registry: Registry) -> tuple[list[str], int]:
    page = list_members(registry, DEFAULTERS, 50, 0, OPERATOR)
    return [m["subject"] for m in page.rows], page.total


def test_a_ten_year_olds_record_never_lists_denies_or_shows(registry: Registry) -> None:
    assert submit_record(registry, spc("child-1", CHILD), COURT_SUB) == "registered"
    assert submit_record(registry, spc("adult-1", P1), COURT_SUB) == "registered"

    shown, total = _members(registry)
    assert shown == [mask(P1, "person")] and total == 1
    assert check(registry, CHILD, "flight-booking", OPERATOR).decision["effect"] == "allow"
    assert check(registry, P1, "flight-booking", OPERATOR).decision["effect"] == "deny"

    found = subject_file(registry, CHILD, OPERATOR)
    assert [r.source_id for r in found.records] == ["child-1"]
    body = found.assessment
    assert body["lists"] == []
    assert body["decisions"]["flight-booking"]["effect"] == "allow"
    (protection,) = body["protections"]
    assert protection["record"] == found.records[0].key
    assert protection["lists"] == [DEFAULTERS]
    assert protection["services"] == SIX
    assert protection["born"] == "2014-06-15" and protection["decided_on"] == "2024-12-01"
    assert "under 18" in protection["explanation"]


def test_a_membership_stored_before_the_rule_is_held_back(registry: Registry) -> None:
    """An assessment stored by an older version (the child on the list) is not shown."""
    submit_record(registry, spc("child-1", CHILD), COURT_SUB)
    submit_record(registry, spc("adult-1", P1), COURT_SUB)
    with registry.session() as session, session.begin():
        record = session.execute(
            select(RecordRow).where(RecordRow.subject_id == CHILD)
        ).scalar_one()
        adult = session.get(AssessmentList, (P1, DEFAULTERS))
        assert adult is not None
        stored = session.get(AssessmentRow, CHILD)
        assert stored is not None
        member = {"list": DEFAULTERS, "kind": "black", "since": None, "until": None}
        stored.body = {**stored.body, "lists": [{**member, "records": [record.key]}]}
        session.add(
            AssessmentList(
                subject_id=CHILD,
                list_id=DEFAULTERS,
                policy_id=adult.policy_id,
                kind="black",
                since=adult.since,
                until=adult.until,
            )
        )
    shown, total = _members(registry)
    assert shown == [mask(P1, "person")] and total == 1
