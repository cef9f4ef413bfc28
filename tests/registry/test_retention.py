"""Retention deletes records past their term and disclosure period, keeping the audit."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from socialcredit.errors import RecordError, RegistryError
from socialcredit.registry import Registry
from socialcredit.registry.audit import verify
from socialcredit.registry.reads.subjectfile import subject_accesses, subject_file
from socialcredit.registry.store.casework import Contact
from socialcredit.registry.store.models import Notice, RecordRow, RetiredRecord
from socialcredit.registry.workflows.contacts import ContactSpec, set_contact
from socialcredit.registry.writes.lifecycle import StatusChange, change_status
from socialcredit.registry.writes.retention import expired_query, retention
from socialcredit.registry.writes.submit import Submission, submit_lines, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, P2, counts, person, spc
from tests.registry.plans import assert_index_range

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


def test_the_expired_records_are_a_range_of_the_retention_index(registry: Registry) -> None:
    for after in (None, (date(2024, 1, 12), 7)):  # the first chunk, and one after a position
        expired = expired_query(date(2025, 1, 1), after, 500)
        assert_index_range(registry, expired, "ix_records_retain_until", "retain_until")


def test_retention_in_chunks_passes_over_a_record_awaiting_its_dispute(registry: Registry) -> None:
    """More expired records than a chunk (the fixture's 50), one of them disputed and not yet
    decided, so kept: every other one is deleted, each once, and the run ends."""
    start = date(2021, 1, 4)  # terms end in 2024
    old = [spc(f"old-{n}", person(n), start + timedelta(days=n % 3)) for n in range(70)]
    assert submit_lines(registry, list(enumerate(old, 1)), SUB).count("registered") == 70
    change_status(registry, StatusChange("dispute", COURT, "old-7", date(2025, 1, 1)), OPERATOR)
    report = retention(registry, None, OPERATOR)
    assert report.records == 69
    with registry.session() as session:
        kept = session.execute(select(RecordRow.source_id)).scalars().all()
        assert session.scalar(select(func.count()).select_from(RetiredRecord)) == 69
    assert kept == ["old-7"]
    assert retention(registry, None, OPERATOR).records == 0


def test_retention_deletes_the_contact_entry_with_the_subject(registry: Registry) -> None:
    submit_record(registry, spc("old", decided=date(2021, 1, 4)), SUB)
    submit_record(registry, spc("new", subject=P2, decided=date(2024, 12, 1)), SUB)
    for subject in (P1, P2):
        set_contact(registry, subject, ContactSpec("zh", email="x@example.test"), OPERATOR)
    assert retention(registry, None, OPERATOR).subjects == 1
    with registry.session() as session:
        assert list(session.execute(select(Contact.subject_id)).scalars()) == [P2]
