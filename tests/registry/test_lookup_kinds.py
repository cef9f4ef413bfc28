"""Looking a subject up by 18 digits (both databases): both kinds' check characters are tried;
valid as one kind it is that kind; valid as both, it is the kind of the subject the registry
holds under those digits, and for digits it holds nothing under a check is answered where both
kinds' answers agree, while anything else asks which (``--kind``) and reads nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from socialcredit.errors import IdentifierError
from socialcredit.identity import parse_subject
from socialcredit.registry import Registry
from socialcredit.registry.reads.checks import check
from socialcredit.registry.reads.subjectfile import subject_file
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, spc
from tests.registry.test_cli import db, run

__all__ = ["db"]  # the fixture of the registry's command-line tests

BOTH = "110105199001010299"  # valid as a resident identity number and as a credit code
UNHELD = "110105199001010387"  # the same, of no subject the registry holds
DIGIT_CODE = "911522010783710635"  # valid only as a credit code
USCC = "unified-social-credit-code"
RESIDENT = "resident-identity-number"


def test_digits_of_both_kinds_are_the_subject_the_registry_holds(registry: Registry) -> None:
    declared = spc("k-1", BOTH, identifier_kind=USCC)
    assert submit_record(registry, declared, Submission(COURT, OPERATOR)) == "registered"
    found = subject_file(registry, BOTH, OPERATOR)
    assert (found.kind, len(found.records)) == ("organisation", 1)
    assert subject_file(registry, BOTH, OPERATOR, USCC).kind == "organisation"
    with pytest.raises(IdentifierError) as caught:
        subject_file(registry, BOTH, OPERATOR, RESIDENT)
    assert caught.value.details["reason"] == "held-as-other-kind"
    denied = check(registry, BOTH, "public-procurement-bid", OPERATOR)
    assert (denied.subject, denied.decision["effect"]) == (BOTH, "deny")
    assert check(registry, BOTH, "flight-booking", OPERATOR, USCC).subject == BOTH


def test_digits_of_both_kinds_held_by_none_ask_which_unless_the_answer_is_the_same(
    registry: Registry,
) -> None:
    with pytest.raises(IdentifierError) as caught:
        subject_file(registry, UNHELD, OPERATOR)
    assert caught.value.details["reason"] == "ambiguous-kind"
    # a person and an organisation of no records are both allowed to book a flight
    assert check(registry, UNHELD, "flight-booking", OPERATOR).decision["effect"] == "allow"
    # an organisation's base score earns the customs green channel; a person's does not
    with pytest.raises(IdentifierError) as caught:
        check(registry, UNHELD, "green-channel-customs", OPERATOR)
    assert caught.value.details["reason"] == "ambiguous-kind"
    said = check(registry, UNHELD, "green-channel-customs", OPERATOR, USCC)
    assert said.decision["effect"] == "benefit"


def test_subject_show_and_check_take_a_kind(db: str, tmp_path: Path) -> None:
    records = tmp_path / "court.jsonl"
    lines = [spc("k-1", BOTH, identifier_kind=USCC), spc("k-2", DIGIT_CODE, identifier_kind=USCC)]
    records.write_text("\n".join(json.dumps(r) for r in lines) + "\n")
    run("records", "submit", str(records), "--agency", COURT, "--db", db)
    out = run("subject", "show", UNHELD, "--db", db, code=1)
    assert "is ambiguous" in out and "say which kind" in out
    shown = json.loads(run("subject", "show", BOTH, "--db", db, "--json"))
    assert (shown["subject"], shown["kind"]) == (BOTH, "organisation")
    assert "not a person's" in run("subject", "show", BOTH, "--db", db, "--kind", RESIDENT, code=1)
    assert json.loads(run("subject", "show", DIGIT_CODE, "--db", db, "--json"))["records"]
    assert "is ambiguous" in run("check", UNHELD, "green-channel-customs", "--db", db, code=1)
    decision = json.loads(
        run("check", BOTH, "public-procurement-bid", "--db", db, "--kind", USCC, "--json")
    )
    assert decision["subject"] == BOTH and decision["effect"] == "deny"
    assert "is ambiguous" in run("subject", "accesses", UNHELD, "--db", db, code=1)
    assert "Accesses" in run("subject", "accesses", BOTH, "--db", db, "--kind", USCC)


def test_an_unassessed_all_digit_credit_code_is_answered_as_an_organisation(
    registry: Registry,
) -> None:
    """Nothing is held about it: the engine on no records, of the organisation it is."""
    found = check(registry, DIGIT_CODE, "public-procurement-bid", OPERATOR)
    assert (found.subject, found.decision["effect"]) == (DIGIT_CODE, "allow")
    empty = subject_file(registry, DIGIT_CODE, OPERATOR)
    assert (empty.kind, empty.assessment["subject_kind"]) == ("organisation", "organisation")
    person = subject_file(registry, parse_subject(BOTH), OPERATOR)  # a principal's own key
    assert person.kind == "person"
