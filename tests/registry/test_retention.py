"""Retention deletes records past their term and disclosure period, keeping the audit."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from socialcredit.errors import RecordError, RegistryError
from socialcredit.registry import Registry
from socialcredit.registry.audit import verify
from socialcredit.registry.models import Notice, RetiredRecord
from socialcredit.registry.reads import subject_accesses, subject_file
from socialcredit.registry.retention import retention
from socialcredit.registry.submit import Submission, submit_record
from socialcredit.registry.tick import tick
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, P2, counts, spc

SUB = Submission(COURT, OPERATOR)


def test_retention_removes_personal_data_and_keeps_the_audit(registry: Registry) -> None:
    submit_record(registry, spc("old", decided=date(2021, 1, 4)), SUB)  # term ends 2024-01-12
    submit_record(registry, spc("new", subject=P2, decided=date(2024, 12, 1)), SUB)
    subject_file(registry, P1, OPERATOR)
    report = retention(registry, None, OPERATOR)
    assert (report.records, report.subjects, dict(report.by_item)) == (1, 1, {"SPC-REFUSE": 1})
    assert counts(registry)["records"] == 1
    found = subject_file(registry, P1, OPERATOR)
    assert found.records == [] and found.notices == []
    with registry.session() as session:
        retired = session.execute(select(RetiredRecord)).scalar_one()
        assert retired.item == "SPC-REFUSE"
        notices = list(
            session.execute(select(Notice).where(Notice.record_id == retired.record_id)).scalars()
        )
        assert all(n.body is None and n.subject_id is None for n in notices)
        assert verify(session).ok
    assert [e.action for e in subject_accesses(registry, P1, OPERATOR)] == [
        "read.subject.file",
        "read.subject.file",
    ]
    with pytest.raises(RecordError, match="deleted by retention"):
        submit_record(registry, spc("old", decided=date(2021, 1, 4)), SUB)


def test_retention_waits_for_the_term(registry: Registry) -> None:
    submit_record(registry, spc("r", decided=date(2024, 1, 2)), SUB)  # term ends 2027-01-10
    assert retention(registry, None, OPERATOR).records == 0
    tick(registry, date(2027, 1, 10), OPERATOR)
    assert retention(registry, None, OPERATOR).records == 1


def test_retention_cannot_run_ahead_of_the_registry(registry: Registry) -> None:
    with pytest.raises(RegistryError, match="run the tick first"):
        retention(registry, date(2030, 1, 1), OPERATOR)
