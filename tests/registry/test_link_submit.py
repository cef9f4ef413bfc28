"""Submitting links: idempotent by (agency, link id); bad input gets a precise error and
nothing is stored."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from socialcredit.errors import LinkConflictError, LinkError
from socialcredit.registry import Registry
from socialcredit.registry.writes.linksubmit import submit_link, submit_link_lines
from socialcredit.registry.writes.submit import Submission
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import COURT, O1, P1, P2
from tests.registry.linkhelpers import P3, REGULATOR, legal_rep, link_counts

BY_REGULATOR = Submission(REGULATOR, OPERATOR)


def test_a_link_is_registered_once_and_resubmitted_unchanged(registry: Registry) -> None:
    assert submit_link(registry, legal_rep("L1", O1, P1), BY_REGULATOR) == "registered"
    stored = link_counts(registry)
    assert stored == {"links": 1, "events": 1, "subjects": 2}
    # the same link as CSV would send it: strings with spaces, empty optional fields
    again = {k: f" {v} " for k, v in legal_rep("L1", O1, P1).items()} | {"valid_to": ""}
    assert submit_link(registry, again, BY_REGULATOR) == "unchanged"
    assert link_counts(registry) == stored


def test_a_changed_link_under_the_same_id_is_a_conflict(registry: Registry) -> None:
    submit_link(registry, legal_rep("L1", O1, P1), BY_REGULATOR)
    with pytest.raises(LinkConflictError, match="already registered with a different payload"):
        submit_link(registry, legal_rep("L1", O1, P2), BY_REGULATOR)
    assert link_counts(registry)["links"] == 1


def _refused(registry: Registry, raw: dict[str, Any], sub: Submission, match: str) -> None:
    before = link_counts(registry)
    with pytest.raises(LinkError) as found:
        submit_link(registry, raw, sub)
    assert match in str(found.value), str(found.value)
    assert link_counts(registry) == before


def test_a_role_the_agency_cannot_establish_is_refused(registry: Registry) -> None:
    # a court does not register legal representatives: the market regulator does
    _refused(
        registry,
        legal_rep("L1", O1, P1),
        Submission(COURT, OPERATOR),
        "cannot establish a link as legal_representative from registration",
    )
    # nor does the market regulator find actual controllers
    finding = legal_rep("L2", O1, P1, role="actual_controller", source="court_finding")
    _refused(registry, finding, BY_REGULATOR, "cannot establish a link as actual_controller")


def test_a_court_finds_an_actual_controller(registry: Registry) -> None:
    finding = legal_rep("C1", O1, P2, role="actual_controller", source="court_finding")
    assert submit_link(registry, finding, Submission(COURT, OPERATOR)) == "registered"


def test_overlapping_legal_representatives_are_refused(registry: Registry) -> None:
    submit_link(registry, legal_rep("L1", O1, P1, valid_to="2024-01-01"), BY_REGULATOR)
    _refused(
        registry,
        legal_rep("L2", O1, P3, valid_from=date(2023, 6, 1)),
        BY_REGULATOR,
        f"overlaps link l1 ({REGULATOR}: L1)",
    )
    # the next holder from the day the first link ends is fine
    later = legal_rep("L2", O1, P3, valid_from=date(2024, 1, 1))
    assert submit_link(registry, later, BY_REGULATOR) == "registered"


def test_a_duplicate_link_of_the_same_person_is_refused(registry: Registry) -> None:
    main = legal_rep("M1", O1, P1, role="main_responsible_person")
    submit_link(registry, main, BY_REGULATOR)
    # several main responsible persons may hold at once, but not the same one twice
    other = legal_rep("M2", O1, P2, role="main_responsible_person")
    assert submit_link(registry, other, BY_REGULATOR) == "registered"
    again = legal_rep("M3", O1, P1, role="main_responsible_person", valid_from=date(2021, 1, 1))
    _refused(registry, again, BY_REGULATOR, f"duplicates link l1 ({REGULATOR}: M1)")


def test_overlaps_within_one_submission_are_refused(registry: Registry) -> None:
    lines = [
        (1, legal_rep("L1", O1, P1)),
        (2, legal_rep("L2", O1, P3, valid_from=date(2022, 1, 1))),
    ]
    report = submit_link_lines(registry, lines, BY_REGULATOR)
    assert [o.status for o in report.outcomes] == ["registered", "refused"]
    assert "overlaps link L1:" in report.outcomes[1].reasons[0]
    assert link_counts(registry)["links"] == 1


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"person": O1}, "person '91350100M000100Y43' is an organisation's identifier"),
        ({"organisation": P2}, "organisation '440524188001010014' is a person's identifier"),
        ({"person": "110101199003070012"}, "the check character should be '1'"),
        ({"person": "110101199013070011"}, "the birth date 19901307 is not a real date"),
        ({"role": "spouse"}, "role 'spouse' is not a base role"),
        ({"source": "hearsay"}, "source 'hearsay' is not one of"),
        ({"valid_to": "2019-01-01"}, "valid_to 2019-01-01 is not after valid_from 2020-01-01"),
        ({"valid_from": "2099-01-01"}, "is after the registry's date"),
        ({"reference": ""}, "a link needs its establishing reference"),
        ({"colour": "red"}, "unknown field(s): colour"),
    ],
)
def test_bad_input_gets_a_precise_error_and_nothing_is_stored(
    registry: Registry, change: dict[str, str], match: str
) -> None:
    _refused(registry, legal_rep("L1", O1, P1) | change, BY_REGULATOR, match)
    assert link_counts(registry) == {"links": 0, "events": 0, "subjects": 0}
