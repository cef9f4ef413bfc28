"""Public disclosure: paged listings read a range of an index in their own order (a public
list's members, an agency's own records); a granted credit repair withdraws disclosure."""

from __future__ import annotations

from socialcredit.registry import Registry
from socialcredit.registry.reads.disclosure import members_query, organisation_view
from socialcredit.registry.workflows.repair import apply_for_repair, decide_repair
from socialcredit.registry.workflows.submissions import agency_records_query
from socialcredit.registry.writes.submit import Submission, submit_record
from tests.registry.conftest import OPERATOR
from tests.registry.helpers import O1
from tests.registry.plans import assert_index_range


def test_a_lists_members_are_a_range_of_its_index(registry: Registry) -> None:
    members = members_query("dishonest-judgment-defaulters").limit(50)
    assert_index_range(registry, members, "ix_assessment_lists_list_subject", "list_id")


def test_an_agencys_records_are_a_range_of_its_index(registry: Registry) -> None:
    own = agency_records_query("The enforcing people's court").limit(50)
    assert_index_range(registry, own, "ix_records_agency_id", "agency")


PENALTY = "The administrative organ that made the penalty decision"


def test_a_granted_repair_withdraws_public_disclosure(registry: Registry) -> None:
    record = {
        "id": "p-1",
        "subject": O1,
        "item": "ENT-PENALTY-SERIOUS",
        "authority": "Fuzhou Market Regulation Bureau",
        "reference": "Rong Shi Jian Fa (2024) 9",
        "decided_on": "2024-11-01",
        "notified_on": "2024-11-02",
    }
    submit_record(registry, record, Submission(PENALTY, OPERATOR))
    shown = organisation_view(registry, O1, OPERATOR).records
    assert [r["item"] for r in shown] == ["ENT-PENALTY-SERIOUS"]
    performed = (True, True)
    application = apply_for_repair(
        registry, O1, "serious-violators", "penalty paid, violation corrected", performed, OPERATOR
    )
    decide_repair(registry, application.id, True, "corrected and committed", OPERATOR)
    assert organisation_view(registry, O1, OPERATOR).records == []
