"""Twenty requests at once about one subject (PostgreSQL runs them side by side): exactly one
objection, one resolution and one repair application is stored, the others are refused with
a reason, and nothing breaks a constraint. Workflows take the subject's lock before reading
what is pending; unique partial indexes back the "at most one" rules."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from socialcredit.errors import LifecycleError, RegistryError
from socialcredit.registry import Actor, Registry
from socialcredit.registry.store.casework import Objection, RepairApplication
from socialcredit.registry.store.models import RecordEvent, RecordRow
from socialcredit.registry.workflows.objections import file_objection
from socialcredit.registry.workflows.repair import apply_for_repair
from socialcredit.registry.writes.lifecycle import StatusChange, change_status
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, spc, together

pytestmark = pytest.mark.slow  # writers in parallel
SUBJECT = Actor("subject", "subject", "own file")
N = 20


def _registered(reg: Registry) -> None:
    submit_record(reg, spc("race-1", decided=date(2024, 10, 1)), Submission(COURT, OPERATOR))


def _only_refusals(failed: list[BaseException]) -> None:
    assert len(failed) == N - 1, failed
    assert all(isinstance(exc, RegistryError) for exc in failed), failed
    assert not any(isinstance(exc, IntegrityError) for exc in failed)


def _count(reg: Registry, query: object) -> int:
    with reg.session() as session:
        return int(session.execute(query).scalar_one())  # type: ignore[call-overload]


def test_twenty_objections_to_one_record_store_one(registry: Registry) -> None:
    _registered(registry)
    jobs = [
        (lambda n=n: file_objection(registry, P1, "r1", f"grounds {n}", SUBJECT)) for n in range(N)
    ]
    _only_refusals(together(*jobs))
    assert _count(registry, select(func.count()).select_from(Objection)) == 1


def test_twenty_resolutions_with_different_dates_store_one(registry: Registry) -> None:
    _registered(registry)
    day = date(2024, 11, 1)
    changes = [StatusChange("resolve", COURT, "race-1", day + timedelta(days=n)) for n in range(N)]
    failed = together(*[(lambda c=c: change_status(registry, c, OPERATOR)) for c in changes])
    _only_refusals(failed)
    assert all(isinstance(exc, LifecycleError) for exc in failed)
    resolved = select(func.count()).where(RecordEvent.kind == "resolved")
    assert _count(registry, resolved) == 1
    with registry.session() as session:
        stored = session.execute(select(RecordRow.resolved_on)).scalar_one()
        events = session.execute(select(RecordEvent.on).where(RecordEvent.kind == "resolved"))
        assert [stored] == list(events.scalars())


def test_twenty_repair_applications_leave_one_pending(registry: Registry) -> None:
    _registered(registry)
    performed = (True, True)
    jobs = [
        (
            lambda n=n: apply_for_repair(
                registry, P1, "dishonest-judgment-defaulters", f"paid {n}", performed, SUBJECT
            )
        )
        for n in range(N)
    ]
    _only_refusals(together(*jobs))
    pending = select(func.count()).where(RepairApplication.status == "pending")
    assert _count(registry, pending) == 1


def test_the_indexes_refuse_a_second_pending_case_whatever_the_code(registry: Registry) -> None:
    _registered(registry)
    file_objection(registry, P1, "r1", "not mine", SUBJECT)
    with registry.session() as session, session.begin(), pytest.raises(IntegrityError):
        found = session.execute(select(Objection)).scalar_one()
        twin = Objection(
            **{c: getattr(found, c) for c in ("record_id", "subject_id", "filed_on", "deadline")},
            grounds="again",
            status="pending",
            overdue_noticed=False,
            filed_at=found.filed_at,
        )
        session.add(twin)
        session.flush()
