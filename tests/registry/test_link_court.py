"""The court's scenario end to end: a company on the list of dishonest judgment defaulters, its
legal representative denied flights and high-speed rail through the link, the link objected to
and revoked, the representative allowed again, the company still listed."""

from __future__ import annotations

import json
from datetime import date

import pytest

from socialcredit.engine import DisputeOutcome
from socialcredit.errors import AccessDeniedError, LifecycleError
from socialcredit.registry import Actor, Registry
from socialcredit.registry.reads.checks import check
from socialcredit.registry.reads.subjectfile import subject_accesses, subject_file
from socialcredit.registry.workflows.objections import decide_objection, file_objection
from socialcredit.registry.writes.lifecycle import StatusChange, change_status
from socialcredit.registry.writes.linksubmit import submit_link
from socialcredit.registry.writes.submit import Submission, submit_record
from socialcredit.registry.writes.tick import tick
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, O1, P1, P2, assert_stored_equal_engine, spc
from tests.registry.linkhelpers import REGULATOR, legal_rep

SERVICES = ("flight-booking", "rail-high-speed")
PERSON = Actor(P1, "subject", "object to a link")
REVIEWER = Actor("regulator-reviewer", "reviewer", "decide an objection")


def _effects(reg: Registry, subject: str) -> dict[str, str]:
    return {s: str(check(reg, subject, s, OPERATOR).decision["effect"]) for s in SERVICES}


@pytest.fixture
def listed(registry: Registry) -> Registry:
    """The company on the court's list (decided 2024-12-01, in effect after its notice period),
    its legal representative P1 registered by the market regulator."""
    submit_record(registry, spc("J1", subject=O1), Submission(COURT, OPERATOR))
    link = legal_rep("REG-1", O1, P1)
    assert submit_link(registry, link, Submission(REGULATOR, OPERATOR)) == "registered"
    return registry


def test_the_legal_representative_is_denied_through_the_link(listed: Registry) -> None:
    assert _effects(listed, O1) == dict.fromkeys(SERVICES, "deny")
    assert _effects(listed, P1) == dict.fromkeys(SERVICES, "deny")
    # the decision explains itself by the organisation's listing and the link
    reasons = json.dumps(check(listed, P1, "flight-booking", OPERATOR).decision)
    assert O1 in reasons
    assert "dishonest-judgment-defaulters" in reasons
    assert "legal_representative" in reasons
    # nobody else is reached
    assert _effects(listed, P2) == dict.fromkeys(SERVICES, "allow")
    assert_stored_equal_engine(listed)


def test_the_link_is_objected_to_revoked_and_the_person_allowed_again(listed: Registry) -> None:
    found = subject_file(listed, P1, OPERATOR)
    key = found.links[0].key
    assert [link.role for link in found.links] == ["legal_representative"]
    objection = file_objection(listed, P1, key, "I resigned in 2019; see the register", PERSON)
    assert objection.authority == REGULATOR
    # disputed, not yet decided: the link still holds within the review deadline
    assert _effects(listed, P1) == dict.fromkeys(SERVICES, "deny")
    with pytest.raises(LifecycleError, match="already disputed"):
        file_objection(listed, P1, key, "again", PERSON)
    # the court does not decide the regulator's registration
    with pytest.raises(AccessDeniedError):
        decide_objection(
            listed, objection.id, DisputeOutcome.REVOKED, "no", REVIEWER, authority=COURT
        )
    decided = decide_objection(
        listed,
        objection.id,
        DisputeOutcome.REVOKED,
        "the register shows a new representative since 2019",
        REVIEWER,
        authority=REGULATOR,
    )
    assert decided.outcome == "revoked"
    assert _effects(listed, P1) == dict.fromkeys(SERVICES, "allow")
    # the company is still listed and still denied
    assert _effects(listed, O1) == dict.fromkeys(SERVICES, "deny")
    company = subject_file(listed, O1, OPERATOR)
    assert [m["list"] for m in company.assessment["lists"]] == ["dishonest-judgment-defaulters"]
    assert [link.key for link in company.links] == [key]
    events = [e.kind for e in subject_file(listed, P1, OPERATOR).link_events[found.links[0].id]]
    assert events == ["submitted", "disputed", "decided", "revoked"]
    assert_stored_equal_engine(listed)


def test_an_undecided_objection_suspends_the_link_after_its_deadline(listed: Registry) -> None:
    key = subject_file(listed, P1, OPERATOR).links[0].key
    objection = file_objection(listed, P1, key, "not me", PERSON)
    tick(listed, objection.deadline, OPERATOR)
    assert _effects(listed, P1) == dict.fromkeys(SERVICES, "allow")
    assert _effects(listed, O1) == dict.fromkeys(SERVICES, "deny")


def test_the_company_leaving_the_list_frees_the_representative(listed: Registry) -> None:
    change_status(listed, StatusChange("resolve", COURT, "J1", date(2025, 1, 1)), OPERATOR)
    assert _effects(listed, O1) == dict.fromkeys(SERVICES, "allow")
    assert _effects(listed, P1) == dict.fromkeys(SERVICES, "allow")
    assert_stored_equal_engine(listed)


def test_a_link_that_ends_frees_the_person_and_is_marked_expired(registry: Registry) -> None:
    submit_record(registry, spc("J1", subject=O1), Submission(COURT, OPERATOR))
    ending = legal_rep("REG-1", O1, P1, valid_to="2025-03-01")
    submit_link(registry, ending, Submission(REGULATOR, OPERATOR))
    assert _effects(registry, P1) == dict.fromkeys(SERVICES, "deny")
    tick(registry, date(2025, 3, 1), OPERATOR)
    assert _effects(registry, P1) == dict.fromkeys(SERVICES, "allow")
    assert _effects(registry, O1) == dict.fromkeys(SERVICES, "deny")
    found = subject_file(registry, P1, OPERATOR)
    history = [(e.kind, e.on) for e in found.link_events[found.links[0].id]]
    assert history == [("submitted", date(2025, 1, 1)), ("expired", date(2025, 3, 1))]
    assert_stored_equal_engine(registry)


def test_reading_the_companys_file_is_in_the_persons_access_listing(listed: Registry) -> None:
    reader = Actor("inspector", "operator", "read the company's file")
    subject_file(listed, O1, reader)
    actions = [(e.actor, e.action) for e in subject_accesses(listed, P1, OPERATOR)]
    assert ("inspector", "read.subject.link") in actions
