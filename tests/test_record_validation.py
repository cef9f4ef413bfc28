"""Record validation: every reason a record is refused is reported, never just the first."""

from __future__ import annotations

from typing import Any

import pytest

from socialcredit.engine import validate_record
from socialcredit.policy import PolicySet
from tests.strategies import ORGANISATION, PERSON

GOOD: dict[str, Any] = {
    "id": "r1",
    "subject": PERSON,
    "item": "NEG-JUDGMENT",
    "authority": "Test Court",
    "reference": "J-1",
    "decided_on": "2024-01-01",
}


def reasons(policy: PolicySet, **changes: Any) -> list[str]:
    checked = validate_record({**GOOD, **changes}, policy)
    assert (checked.record is None) == bool(checked.reasons)
    return checked.reasons


def test_a_good_record_is_accepted(lab_policy: PolicySet) -> None:
    checked = validate_record(GOOD, lab_policy)
    assert checked.record is not None
    assert checked.record.subject_kind == "person"
    assert checked.reasons == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"subject": "110105194912310021"}, "check character"),
        ({"subject": None}, "subject is missing"),
        ({"item": "NOPE"}, "not in the catalogue"),
        (
            {"subject": ORGANISATION, "item": "POS-VOLUNTEER"},
            "does not apply to subjects of kind organisation",
        ),
        ({"authority": ""}, "deciding authority"),
        ({"reference": None}, "deciding reference"),
        ({"decided_on": "2024-02-30"}, "is not a date"),
        ({"decided_on": None}, "decided_on is missing"),
        ({"notified_on": "2023-12-31"}, "notified_on 2023-12-31 is before decided_on"),
        ({"resolved_on": "2023-06-01"}, "resolved_on 2023-06-01 is before decided_on"),
        ({"dispute_decided_on": "2024-02-01", "dispute_outcome": "upheld"}, "never disputed"),
        (
            {"disputed_on": "2024-03-01", "dispute_decided_on": "2024-02-01"},
            "before disputed_on",
        ),
        ({"disputed_on": "2024-02-01", "dispute_decided_on": "2024-02-05"}, "without a dispute"),
        ({"dispute_outcome": "upheld"}, "dispute_decided_on is not"),
        ({"amount": "-5"}, "non-negative"),
        ({"amount": "lots"}, "not a number"),
        ({"colour": "red"}, "unknown field(s): colour"),
        ({"id": " "}, "id is missing"),
    ],
)
def test_each_refusal_reason(lab_policy: PolicySet, changes: dict[str, Any], words: str) -> None:
    assert any(words in reason for reason in reasons(lab_policy, **changes))


def test_all_reasons_are_collected(lab_policy: PolicySet) -> None:
    found = reasons(lab_policy, subject="123", item="NOPE", decided_on="soon", colour="red")
    assert len(found) >= 4


def test_positive_records_need_no_reference(lab_policy: PolicySet) -> None:
    checked = validate_record(
        {"id": "p", "subject": PERSON, "item": "POS-HONOUR", "decided_on": "2024-01-01"},
        lab_policy,
    )
    assert checked.record is not None


def test_legacy_credit_code_is_accepted_with_a_warning(lab_policy: PolicySet) -> None:
    legacy = ORGANISATION[:-1] + ("0" if ORGANISATION[-1] != "0" else "1")
    checked = validate_record({**GOOD, "subject": legacy}, lab_policy)
    assert checked.record is not None
    assert checked.warnings


def test_fifteen_digit_numbers_are_converted(lab_policy: PolicySet) -> None:
    checked = validate_record({**GOOD, "subject": "110105491231002"}, lab_policy)
    assert checked.record is not None
    assert checked.record.subject == PERSON
