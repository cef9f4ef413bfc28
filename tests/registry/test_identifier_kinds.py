"""Identifier kinds in the registry (both databases): a resident number with a mistyped birth
date is refused with its reason, never stored as an organisation; an all-digit credit code is
registered when declared, and its records keep working through their lifecycle."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from socialcredit.batch.rescore import RescoreOptions, rescore
from socialcredit.errors import RecordError
from socialcredit.registry import Registry
from socialcredit.registry.store.models import AssessmentRow, Subject
from socialcredit.registry.writes.lifecycle import StatusChange, change_status
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, counts, spc

COURT_SUB = Submission(COURT, OPERATOR)
MISTYPED = "110105199913450012"  # month 13
ALL_DIGITS = "911522010783710635"  # a credit code of digits only (python-stdnum's vectors)


def _kinds(registry: Registry) -> dict[str, str]:
    with registry.session() as session:
        return {sid: kind for sid, kind in session.execute(select(Subject.id, Subject.kind))}


def test_a_mistyped_birth_date_is_refused_not_stored_as_an_organisation(
    registry: Registry,
) -> None:
    before = counts(registry)
    with pytest.raises(RecordError) as caught:
        submit_record(registry, spc("t-1", MISTYPED), COURT_SUB)
    assert "is not a valid resident identity number" in str(caught.value.problems[0].message)
    assert "19991345 is not a real date" in caught.value.problems[0].message
    assert counts(registry) == before
    assert MISTYPED not in _kinds(registry)


def test_an_all_digit_credit_code_is_registered_when_declared(registry: Registry) -> None:
    with pytest.raises(RecordError):
        submit_record(registry, spc("t-2", ALL_DIGITS), COURT_SUB)
    declared = spc("t-2", ALL_DIGITS, identifier_kind="unified-social-credit-code")
    assert submit_record(registry, declared, COURT_SUB) == "registered"
    assert _kinds(registry)[ALL_DIGITS] == "organisation"
    resolved = change_status(
        registry, StatusChange("resolve", COURT, "t-2", date(2024, 12, 20)), OPERATOR
    )
    assert resolved.resolved_on == date(2024, 12, 20)


def test_a_declared_kind_that_does_not_match_is_refused(registry: Registry) -> None:
    wrong = spc("t-3", "11010519491231002X", identifier_kind="unified-social-credit-code")
    with pytest.raises(RecordError) as caught:
        submit_record(registry, wrong, COURT_SUB)
    assert "it is a resident identity number" in caught.value.problems[0].message


def test_rescore_reads_a_declared_all_digit_credit_code_as_one(
    registry: Registry, tmp_path: Path
) -> None:
    """The export to the batch scorer says each key's kind, so the batch does not refuse an
    all-digit credit code as a person's number."""
    declared = spc("t-4", ALL_DIGITS, identifier_kind="unified-social-credit-code")
    submit_record(registry, declared, COURT_SUB)
    submit_record(registry, spc("t-5", "11010519491231002X"), COURT_SUB)
    before = _body(registry)
    assert before["subject_kind"] == "organisation" and before["lists"]
    report = rescore(registry, OPERATOR, RescoreOptions(tmp_path / "work", bucket_size=40))
    assert report.records == 2
    assert _body(registry) == before


def _body(registry: Registry) -> dict[str, Any]:
    with registry.session() as session:
        row = session.get(AssessmentRow, ALL_DIGITS)
        assert row is not None
        return dict(row.body)
