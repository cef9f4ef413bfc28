"""Submitting records: registration, idempotency, conflicts, agency scoping, bad input."""

from __future__ import annotations

from datetime import date

import pytest

from socialcredit.errors import NotFoundError, RecordConflictError, RecordError
from socialcredit.registry import Registry
from socialcredit.registry.reads.checks import check
from socialcredit.registry.reads.subjectfile import subject_file
from socialcredit.registry.writes.submit import Submission, submit_lines, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, P2, counts, spc

COURT_SUB = Submission(COURT, OPERATOR)


def test_register_then_same_payload_is_unchanged(registry: Registry) -> None:
    assert submit_record(registry, spc("a-1"), COURT_SUB) == "registered"
    before = counts(registry)
    assert before["records"] == 1 and before["notices"] >= 1
    assert submit_record(registry, {**spc("a-1"), "amount": ""}, COURT_SUB) == "unchanged"
    assert counts(registry) == before


def test_changed_payload_under_same_id_is_refused(registry: Registry) -> None:
    submit_record(registry, spc("a-1"), COURT_SUB)
    before = counts(registry)
    with pytest.raises(RecordConflictError, match="different payload"):
        submit_record(registry, spc("a-1", decided=date(2024, 12, 2)), COURT_SUB)
    assert counts(registry) == before


def test_agency_submits_only_its_own_items(registry: Registry) -> None:
    other = Submission("Rongcheng People's Court", OPERATOR)
    with pytest.raises(RecordError) as caught:
        submit_record(registry, spc("a-1"), other)
    assert "principle 12" in str(caught.value)
    assert counts(registry)["records"] == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"subject": "110105194912310021"}, "check character"),
        ({"item": "NOT-AN-ITEM"}, "not in the catalogue"),
        ({"notified_on": "2024-11-01"}, "before decided_on"),
        ({"dispute_decided_on": "2024-12-20", "dispute_outcome": "upheld"}, "never disputed"),
    ],
)
def test_bad_records_change_nothing(
    registry: Registry, change: dict[str, str], expected: str
) -> None:
    before = counts(registry)
    with pytest.raises(RecordError) as caught:
        submit_record(registry, {**spc("a-1"), **change}, COURT_SUB)
    assert expected in str(caught.value.problems[0].message)
    assert counts(registry) == before


def test_bulk_stores_valid_lines_and_reports_the_others(registry: Registry) -> None:
    lines = [
        (1, spc("b-1")),
        (2, "not valid JSON"),
        (3, {**spc("b-2"), "item": "NOPE"}),
        (4, spc("b-3", subject=P2)),
        (5, spc("b-1")),
    ]
    report = submit_lines(registry, lines, COURT_SUB)
    assert [o.status for o in report.outcomes] == [
        "registered",
        "refused",
        "refused",
        "registered",
        "refused",
    ]
    assert "already appears on line 1" in report.outcomes[4].reasons[0]
    assert counts(registry)["records"] == 2


def test_live_assessment_is_visible_to_the_next_check(registry: Registry) -> None:
    assert check(registry, P1, "flight-booking", OPERATOR).decision["effect"] == "allow"
    submit_record(registry, spc("c-1", decided=date(2024, 10, 1)), COURT_SUB)
    result = check(registry, P1, "flight-booking", OPERATOR)
    assert result.decision["effect"] == "deny"
    assert result.decision["remedies"]
    found = subject_file(registry, P1, OPERATOR)
    kinds = [e.kind for e in found.events[found.records[0].id]]
    assert kinds == ["notice served", "effective", "registered"]
    assert found.assessment["lists"][0]["list"] == "dishonest-judgment-defaulters"


def test_unknown_service_is_refused(registry: Registry) -> None:
    with pytest.raises(NotFoundError, match="unknown service"):
        check(registry, P1, "teleportation", OPERATOR)
