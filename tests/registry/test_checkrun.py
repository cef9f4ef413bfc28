"""The check transaction (``registry/reads/checkrun.py``) against a policy set that another process
changed, and on a registry without a state row."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import delete, func, select

from socialcredit.errors import NotFoundError
from socialcredit.registry import Actor, Registry, RegistrySettings
from socialcredit.registry.audit import accesses, verify
from socialcredit.registry.reads.checks import CheckRequest, check, check_many
from socialcredit.registry.store.models import (
    AssessmentRow,
    AuditEntry,
    PolicyVersion,
    RegistryState,
)
from socialcredit.registry.store.postgres import PostgresTuning
from socialcredit.registry.writes.submit import Submission, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, P2, spc

AIRLINE = Actor("airline", "service", "ticket sale")

COPY_FROM = PostgresTuning().check_copy_from


def _newest_version(reg: Registry) -> int:
    with reg.session() as session:
        newest = session.execute(select(func.max(PolicyVersion.id))).scalar_one()
    assert isinstance(newest, int)
    return newest


def test_a_check_reads_the_policy_set_another_process_loaded(registry: Registry) -> None:
    other = Registry.open(RegistrySettings(database_url=registry.settings.database_url))
    try:
        first = check(other, P1, "flight-booking", AIRLINE)
        assert other.known_policies(_newest_version(registry)) is not None
        with registry.session() as session, session.begin():
            stored = session.execute(select(PolicyVersion).limit(1)).scalar_one()
            session.add(
                PolicyVersion(
                    policy_id=stored.policy_id,
                    version="again",
                    sha256=stored.sha256,
                    text=stored.text,
                    loaded_at=datetime.now(UTC),
                    loaded_by="tests",
                )
            )
        mark = _newest_version(registry)
        assert other.known_policies(mark) is None  # the other process has not met it yet
        assert check(other, P1, "flight-booking", AIRLINE) == first
        assert other.known_policies(mark) is not None  # read on the way, then checked again
    finally:
        other.close()
    with registry.session() as session:
        checks = session.execute(
            select(func.count()).where(AuditEntry.action == "read.subject.check")
        ).scalar_one()
    assert checks == 2  # the retried transaction was rolled back before it wrote anything


def test_a_check_without_a_registry_is_refused(registry: Registry) -> None:
    with registry.session() as session, session.begin():
        session.execute(delete(RegistryState))
    with pytest.raises(NotFoundError):
        check(registry, P1, "flight-booking", AIRLINE)


def test_a_batch_above_the_copy_size_keeps_the_chain(registry: Registry) -> None:
    """On PostgreSQL a batch's many audit entries go by COPY: the chain still verifies, and
    each subject sees its check."""
    requests = [CheckRequest(P1 if n % 2 else P2, "flight-booking") for n in range(COPY_FROM + 4)]
    results = check_many(registry, requests, AIRLINE)
    assert [r.subject for r in results] == [r.subject for r in requests]
    with registry.session() as session:
        assert verify(session).ok
        assert len(accesses(session, P2)) == (COPY_FROM + 4) // 2


def test_after_a_tick_a_check_answers_as_of_the_new_date(registry: Registry) -> None:
    """The tick reassesses only subjects whose assessment changes; a subject it leaves alone
    still has the assessment made on an earlier date, which holds on the new one."""
    submit_record(registry, spc("c-1", decided=date(2024, 12, 1)), Submission(COURT, OPERATOR))
    assert check(registry, P1, "flight-booking", AIRLINE).as_of == "2025-01-01"
    tick(registry, date(2025, 1, 2), OPERATOR)
    with registry.session() as session:
        stored = session.execute(select(AssessmentRow.as_of)).scalar_one()
    assert stored == date(2025, 1, 1)  # not reassessed: nothing changed
    assert check(registry, P1, "flight-booking", AIRLINE).as_of == "2025-01-02"
    assert check(registry, P2, "flight-booking", AIRLINE).as_of == "2025-01-02"  # no records
