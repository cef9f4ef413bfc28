"""The audit chain: every write and read is chained; tampering is caught; accesses listed."""

from __future__ import annotations

import threading
from datetime import date

from sqlalchemy import delete, func, select, update

from socialcredit.registry import Actor, Registry
from socialcredit.registry.audit import verify
from socialcredit.registry.reads.checks import check
from socialcredit.registry.reads.subjectfile import subject_accesses, subject_file
from socialcredit.registry.store.models import AuditEntry, RegistryState
from socialcredit.registry.writes.submit import Submission, submit_lines, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, person, spc


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


def test_concurrent_checks_and_a_bulk_submission_keep_one_chain(registry: Registry) -> None:
    """Checks (pipelined on PostgreSQL) from several threads while a chunked submission COPYs
    its rows: every check and every record gets its entry, and the chain stays whole."""
    _populate(registry)
    airline = Actor("airline", "service", "ticket sale")
    raws = [(n, spc(f"c-{n}", subject=person(n))) for n in range(120)]
    answers: list[str] = []

    def checks() -> None:
        for n in range(20):
            subject = P1 if n % 2 else person(n)
            answers.append(check(registry, subject, "flight-booking", airline).decision["effect"])

    threads = [threading.Thread(target=checks) for _ in range(3)]
    threads.append(
        threading.Thread(target=submit_lines, args=(registry, raws, Submission(COURT, OPERATOR)))
    )
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 60
    assert _verify(registry) == (True, None, None)
    with registry.session() as session:
        actions = dict(
            session.execute(
                select(AuditEntry.action, func.count()).group_by(AuditEntry.action)
            ).all()
        )
    assert actions["read.subject.check"] == 61
    assert actions["write.record.register"] == 121
