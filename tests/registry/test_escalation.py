"""Escalation: after ``registry tick``, a pending case due within a few working days is marked
escalated once, comes first in its authority's queue, and a notice goes to the authority's
escalation contact in its language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from socialcredit.cli.app import app
from socialcredit.errors import RequestInvalidError
from socialcredit.registry import Actor, Registry
from socialcredit.registry.store.casework import Objection
from socialcredit.registry.store.models import AuditEntry, Notice
from socialcredit.registry.workflows.dueprocess import advance
from socialcredit.registry.workflows.escalation import (
    EscalationContact,
    set_escalation_contact,
)
from socialcredit.registry.workflows.objections import QueueQuery, file_objection, objections
from socialcredit.registry.workflows.templating import render_notice
from socialcredit.registry.writes.notices import OutgoingNotice, deliver
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, P1, P2, spc

SUBJECT = Actor("subject", "subject", "own file")


@dataclass
class Collected:
    """A sender that keeps what it is given (the outbox's protocol)."""

    sent: list[OutgoingNotice] = field(default_factory=list)

    def send(self, notice: OutgoingNotice) -> None:
        self.sent.append(notice)


def _objections(registry: Registry) -> tuple[Objection, Objection]:
    submit_record(registry, spc("e-1"), Submission(COURT, OPERATOR))
    submit_record(registry, spc("e-2", subject=P2), Submission(COURT, OPERATOR))
    first = file_objection(registry, P1, "r1", "the judgment was paid", SUBJECT)
    return first, file_objection(registry, P2, "r2", "not my debt", SUBJECT)


def test_a_case_near_its_deadline_is_escalated_once(registry: Registry) -> None:
    first, _ = _objections(registry)
    assert first.deadline == date(2025, 1, 16)  # 15 calendar days
    set_escalation_contact(
        registry, EscalationContact(COURT, "en", email="clerk@court.invalid"), OPERATOR
    )
    _, sweep = advance(registry, date(2025, 1, 10), OPERATOR)  # Friday: Jan 13, 14, 15
    assert sweep.escalated == 0
    _, sweep = advance(registry, date(2025, 1, 13), OPERATOR)  # Monday: Jan 14, 15, 16
    assert sweep.escalated == 2
    _, sweep = advance(registry, date(2025, 1, 14), OPERATOR)
    assert sweep.escalated == 0  # once
    queue = objections(registry, QueueQuery(10, 0, "pending", authority=COURT))
    assert [o.escalated_on for o in queue.rows] == [date(2025, 1, 13)] * 2
    collected = Collected()
    deliver(registry.sessions, collected)
    escalations = [n for n in collected.sent if n.kind == "escalation"]
    assert {n.body["id"] for n in escalations} == {o.id for o in queue.rows}
    assert {(n.subject, n.email, n.locale) for n in escalations} == {
        ("", "clerk@court.invalid", "en")
    }
    subject_line, text = render_notice(escalations[0], "en")
    assert subject_line.startswith("Escalation: objection") and "2025-01-16" in text
    assert "paid" not in text  # the grounds stay in the queue
    with registry.session() as session:
        audited = session.execute(
            select(AuditEntry.action).where(AuditEntry.action == "write.review.escalate")
        ).all()
        stored = session.execute(select(Notice).where(Notice.kind == "escalation")).scalars()
        assert len(audited) == 2 and all(n.subject_id is None for n in stored)


def test_escalated_cases_come_first_in_the_queue(registry: Registry) -> None:
    first, second = _objections(registry)
    with registry.session() as session, session.begin():
        found = session.get(Objection, second.id)
        assert found is not None
        found.escalated_on = date(2025, 1, 1)  # as a tick with a longer horizon would have
    queue = objections(registry, QueueQuery(10, 0, "pending"))
    assert [o.id for o in queue.rows] == [second.id, first.id]


def test_an_escalation_contact_needs_a_channel_and_a_language(registry: Registry) -> None:
    with pytest.raises(RequestInvalidError, match="e-mail address or a phone"):
        set_escalation_contact(registry, EscalationContact(COURT, "en"), OPERATOR)
    with pytest.raises(RequestInvalidError, match="no notice templates"):
        set_escalation_contact(registry, EscalationContact(COURT, "fr", "a@b.c"), OPERATOR)


def test_cli_tick_escalates(registry: Registry, db_url: str) -> None:
    _objections(registry)
    runner = CliRunner()
    contact = ["registry", "escalation-contact", COURT, "--email", "clerk@court.invalid"]
    done = runner.invoke(app, [*contact, "--db", db_url])
    assert done.exit_code == 0, done.output
    args = ["registry", "tick", "--as-of", "2025-01-13", "--escalate-days", "3", "--db", db_url]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    assert "2 case(s) escalated" in " ".join(done.output.split())
