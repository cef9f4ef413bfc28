"""Service of notice: a negative record takes effect only after its notice is served (by a
delivery the channel confirms, or substitute service) and its notice period has passed."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from socialcredit.errors import LifecycleError
from socialcredit.registry import Registry
from socialcredit.registry.store.models import AssessmentRow, Notice, RecordEvent, RecordRow
from socialcredit.registry.workflows.objections import file_objection
from socialcredit.registry.workflows.senders import FileSender
from socialcredit.registry.writes.notices import deliver
from socialcredit.registry.writes.service import SUBSTITUTE_DAYS, Receipt, record_receipt
from socialcredit.registry.writes.submit import Submission, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, assert_stored_equal_engine, counts, spc

TODAY = date(2025, 1, 1)  # the test registry's date


@pytest.fixture
def unserved(registry: Registry, tmp_path: Path) -> Registry:
    """A negative record whose notice the registry serves, its notices sent."""
    raw = spc("s-1", decided=date(2024, 12, 20)) | {"notified_on": None}
    submit_record(registry, raw, Submission(COURT, OPERATOR))
    deliver(registry.sessions, FileSender(tmp_path / "out.jsonl"))
    return registry


def _record(reg: Registry) -> RecordRow:
    with reg.session() as session:
        return session.execute(select(RecordRow)).scalar_one()


def _state(reg: Registry) -> dict[str, object]:
    with reg.session() as session:
        body = session.execute(select(AssessmentRow.body)).scalar_one()
    state: dict[str, object] = body["records"][0]
    return state


def _kinds(reg: Registry) -> list[str]:
    with reg.session() as session:
        return list(session.execute(select(RecordEvent.kind).order_by(RecordEvent.id)).scalars())


def _record_notice(reg: Registry) -> int:
    with reg.session() as session:
        query = select(Notice.id).where(Notice.kind == "record")
        return session.execute(query).scalar_one()


def test_a_sent_notice_is_not_service(unserved: Registry) -> None:
    row = _record(unserved)
    assert (row.notice, row.notified_on) == ("pending", None)
    assert _kinds(unserved) == ["registered", "notice queued"]
    assert _state(unserved) == {
        "record": row.key,
        "item": "SPC-REFUSE",
        "status": "pending",
        "effective_from": None,
        "counts_until": None,
    }
    tick(unserved, TODAY + timedelta(days=400), OPERATOR)  # time alone never serves it
    assert _state(unserved)["status"] == "pending"
    assert_stored_equal_engine(unserved)


def test_a_confirmed_delivery_serves_the_notice(unserved: Registry) -> None:
    notice = record_receipt(unserved, Receipt(_record_notice(unserved), True), OPERATOR)
    assert (notice.status, notice.served_on) == ("delivered", TODAY)
    row = _record(unserved)
    assert (row.notice, row.notified_on) == ("served", TODAY)
    assert _kinds(unserved)[-1] == "notice served"
    assert _state(unserved)["effective_from"] == "2025-01-08"  # 7 notice days from delivery
    tick(unserved, date(2025, 1, 8), OPERATOR)
    assert _state(unserved)["status"] == "counting"
    assert_stored_equal_engine(unserved)


def test_a_failed_delivery_goes_to_substitute_service(unserved: Registry) -> None:
    receipt = Receipt(_record_notice(unserved), False, "550 mailbox unavailable")
    notice = record_receipt(unserved, receipt, OPERATOR)
    served = TODAY + timedelta(days=SUBSTITUTE_DAYS)
    assert (notice.status, notice.served_on, notice.last_error) == (
        "substitute",
        served,
        "550 mailbox unavailable",
    )
    row = _record(unserved)
    assert (row.notice, row.notified_on) == ("substitute", served)
    assert _kinds(unserved)[-2:] == ["notice failed", "substitute service"]
    effective = served + timedelta(days=7)
    assert _state(unserved)["effective_from"] == effective.isoformat()
    tick(unserved, effective - timedelta(days=1), OPERATOR)
    assert _state(unserved)["status"] == "pending"
    tick(unserved, effective, OPERATOR)
    assert _state(unserved)["status"] == "counting"
    assert_stored_equal_engine(unserved)


def test_a_receipt_for_an_unsent_notice_changes_nothing(registry: Registry) -> None:
    raw = spc("s-2", decided=date(2024, 12, 20)) | {"notified_on": None}
    submit_record(registry, raw, Submission(COURT, OPERATOR))
    before = counts(registry)
    with pytest.raises(LifecycleError, match="is queued: only a sent notice takes a receipt"):
        record_receipt(registry, Receipt(_record_notice(registry), True), OPERATOR)
    assert counts(registry) == before
    assert _record(registry).notice == "pending"


def test_an_agency_attested_notice_is_served_as_submitted(registry: Registry) -> None:
    submit_record(registry, spc("s-3", decided=date(2024, 12, 1)), Submission(COURT, OPERATOR))
    row = _record(registry)
    assert (row.notice, row.notified_on) == (None, date(2024, 12, 2))
    assert _kinds(registry)[:2] == ["registered", "notice served"]
    assert row.subject_id == P1


def test_a_workflow_notice_is_dated_by_the_registry(registry: Registry) -> None:
    """One clock: the registry's date (2025-01-01), never the wall clock's."""
    submit_record(registry, spc("s-4", decided=date(2024, 12, 1)), Submission(COURT, OPERATOR))
    file_objection(registry, P1, _record(registry).key, "not my debt", OPERATOR)
    with registry.session() as session:
        query = select(Notice.created_on).where(Notice.kind == "objection")
        assert session.execute(query).scalar_one() == TODAY
