"""Retention erases every copy of a subject's personal data, and never stops on a record that
has casework: objections, repair applications, file copies, subject principals, notices."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from socialcredit.engine import DisputeOutcome
from socialcredit.registry import Actor, Registry
from socialcredit.registry.audit import verify
from socialcredit.registry.reads.copies import file_copy
from socialcredit.registry.store.casework import (
    FileCopy,
    Objection,
    Principal,
    RepairApplication,
)
from socialcredit.registry.store.models import AuditEntry, Notice, RecordRow
from socialcredit.registry.workflows.objections import decide_objection, file_objection
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal
from socialcredit.registry.workflows.repair import apply_for_repair
from socialcredit.registry.workflows.senders import FileSender
from socialcredit.registry.writes.notices import deliver
from socialcredit.registry.writes.retention import retention
from socialcredit.registry.writes.submit import Submission, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, P2, spc

SUB = Submission(COURT, OPERATOR)
SUBJECT = Actor("subject", "subject", "own file")
REVIEWER = Actor("clerk", "reviewer", "decide")
LIST = "dishonest-judgment-defaulters"


def _count(reg: Registry, model: type[object]) -> int:
    with reg.session() as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_decided_objection_does_not_stop_retention(registry: Registry) -> None:
    """The reported case: court records of 2020, one objected to and decided; retention in
    2026 deletes them all, in every chunk, and runs again cleanly."""
    for n in range(60):  # more than one chunk of 50
        submit_record(registry, spc(f"old-{n}", decided=date(2020, 1, 1)), SUB)
    objection = file_objection(registry, P1, "r1", "this judgment was paid", SUBJECT)
    decide_objection(registry, objection.id, DisputeOutcome.UPHELD, "not paid", REVIEWER)
    tick(registry, date(2026, 6, 1), OPERATOR)
    report = retention(registry, None, OPERATOR)
    assert (report.records, report.subjects) == (60, 1)
    assert _count(registry, RecordRow) == _count(registry, Objection) == 0
    assert retention(registry, None, OPERATOR).records == 0


def test_every_copy_of_personal_data_goes(registry: Registry, tmp_path: Path) -> None:
    submit_record(registry, spc("old", decided=date(2024, 1, 2)), SUB)
    submit_record(registry, spc("other", subject=P2, decided=date(2024, 12, 1)), SUB)
    apply_for_repair(registry, P1, LIST, "I paid the whole judgment debt", (True, True), SUBJECT)
    file_copy(registry, P1, SUBJECT)
    create_principal(
        registry,
        PrincipalSpec("p1-self", "subject", subject=P1, verification="in person, ref R-1"),
        OPERATOR,
    )
    assert _count(registry, RepairApplication) == _count(registry, FileCopy) == 1
    tick(registry, date(2027, 1, 10), OPERATOR)  # P1's term ends; P2's does not
    report = retention(registry, None, OPERATOR)
    assert (report.records, report.subjects) == (1, 1)
    for model in (RepairApplication, FileCopy, Principal):
        assert _count(registry, model) == 0, model
    with registry.session() as session:
        notices = list(session.execute(select(Notice).where(Notice.subject_id.is_(None))))
        assert notices, "P1's notices lost their addressee"
        statuses = session.execute(select(Notice.status).where(Notice.body.is_(None))).scalars()
        assert "queued" not in set(statuses)
        erased = session.execute(
            select(AuditEntry.details).where(AuditEntry.action == "write.retention.erase")
        ).scalars()
        totals = [d for d in erased if d.get("repair_applications") or d.get("file_copies")]
        assert totals, "the audit counts what was erased"
        assert "I paid" not in str(list(session.execute(select(AuditEntry.details)).scalars()))
        assert verify(session).ok
    out = tmp_path / "notices.jsonl"
    deliver(registry.sessions, FileSender(out))
    assert P1 not in out.read_text() and '"body": {}' not in out.read_text()
