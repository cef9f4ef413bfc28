"""The audit chain: every write and read is chained; tampering is caught; accesses listed."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, func, select, update

from socialcredit.registry import Actor, Registry
from socialcredit.registry.audit import verify
from socialcredit.registry.models import AuditEntry, RegistryState
from socialcredit.registry.reads import check, subject_accesses, subject_file
from socialcredit.registry.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, spc


def _populate(reg: Registry) -> None:
    submit_record(reg, spc("x-1", decided=date(2024, 10, 1)), Submission(COURT, OPERATOR))
    subject_file(reg, P1, Actor("clerk", "operator", "answer the subject's request"))
    check(reg, P1, "flight-booking", Actor("airline", "service", "ticket sale"))


def _verify(reg: Registry) -> tuple[bool, int | None, str | None]:
    with reg.session() as session:
        report = verify(session)
    return report.ok, report.broken_at, report.reason


def test_chain_is_intact_and_lists_reads(registry: Registry) -> None:
    _populate(registry)
    assert _verify(registry)[0]
    reads = subject_accesses(registry, P1, OPERATOR)
    assert [(e.actor, e.action, e.purpose) for e in reads] == [
        ("clerk", "read.subject.file", "answer the subject's request"),
        ("airline", "read.subject.check", "ticket sale"),
    ]
    with registry.session() as session:
        entries = list(session.execute(select(AuditEntry)).scalars())
    assert all(P1 not in str(e.details) and e.subject_ref != P1 for e in entries)


def test_tampered_entry_is_caught(registry: Registry) -> None:
    _populate(registry)
    with registry.session() as session, session.begin():
        target = session.execute(
            select(func.min(AuditEntry.seq)).where(AuditEntry.action == "read.subject.file")
        ).scalar_one()
        session.execute(update(AuditEntry).where(AuditEntry.seq == target).values(actor="nobody"))
    ok, broken, reason = _verify(registry)
    assert not ok and broken == target and "altered" in str(reason)


def test_removed_last_entry_is_caught(registry: Registry) -> None:
    _populate(registry)
    with registry.session() as session, session.begin():
        last = session.execute(select(RegistryState.audit_seq)).scalar_one()
        session.execute(delete(AuditEntry).where(AuditEntry.seq == last))
    ok, broken, _ = _verify(registry)
    assert not ok and broken == last
