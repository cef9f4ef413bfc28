"""Retention of links: five years after a link ends it is deleted with its events and the
objections to it; a subject left with neither records nor links leaves the registry."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from socialcredit.engine import DisputeOutcome
from socialcredit.registry import Actor, Registry
from socialcredit.registry.audit import verify
from socialcredit.registry.reads.subjectfile import subject_file
from socialcredit.registry.store.casework import Objection
from socialcredit.registry.store.models import Notice
from socialcredit.registry.workflows.objections import decide_objection, file_objection
from socialcredit.registry.writes.linksubmit import submit_link
from socialcredit.registry.writes.retention import retention
from socialcredit.registry.writes.retention_rules import link_retain_until
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, O1, P1, P2, spc
from tests.registry.linkhelpers import REGULATOR, legal_rep, link_counts

BY_REGULATOR = Submission(REGULATOR, OPERATOR)


def test_the_retention_period_runs_five_years_from_the_end() -> None:
    assert link_retain_until(date(2019, 6, 1)) == date(2024, 6, 1)
    assert link_retain_until(date(2020, 2, 29)) == date(2025, 2, 28)
    assert link_retain_until(date.max) == date.max


def test_an_ended_link_is_deleted_after_five_years(registry: Registry) -> None:
    old = legal_rep("OLD", O1, P2, valid_from=date(2010, 1, 1), valid_to="2019-06-01")
    submit_link(registry, old, BY_REGULATOR)
    submit_link(registry, legal_rep("NOW", O1, P1, valid_from=date(2019, 6, 1)), BY_REGULATOR)
    submit_record(registry, spc("J1", subject=O1), Submission(COURT, OPERATOR))
    # the ended link: submitted, and expired on its valid_to
    assert link_counts(registry) == {"links": 2, "events": 3, "subjects": 3}
    report = retention(registry, None, OPERATOR)
    assert report.links == 1
    # P2 is named by nothing any more and leaves; the open link and its subjects stay
    assert link_counts(registry) == {"links": 1, "events": 1, "subjects": 2}
    with registry.session() as session:
        assert verify(session).ok
    assert retention(registry, None, OPERATOR).links == 0


def test_retention_erases_the_objection_to_a_link_and_its_notices(registry: Registry) -> None:
    ended = legal_rep("OLD", O1, P2, valid_from=date(2010, 1, 1), valid_to="2019-06-01")
    submit_link(registry, ended, BY_REGULATOR)
    key = subject_file(registry, P2, OPERATOR).links[0].key
    objection = file_objection(registry, P2, key, "never was", Actor(P2, "subject", "t"))
    decide_objection(registry, objection.id, DisputeOutcome.UPHELD, "was", OPERATOR)
    assert retention(registry, None, OPERATOR).links == 1
    with registry.session() as session:
        assert session.execute(select(func.count()).select_from(Objection)).scalar_one() == 0
        bodies = session.execute(select(Notice.body, Notice.subject_id)).all()
    assert bodies and all(body is None and sid is None for body, sid in bodies)
