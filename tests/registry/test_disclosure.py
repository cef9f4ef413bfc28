"""Paged listings read a range of an index in their own order: a public list's members, an
agency's own records."""

from __future__ import annotations

from socialcredit.registry import Registry
from socialcredit.registry.reads.disclosure import members_query
from socialcredit.registry.workflows.submissions import agency_records_query
from tests.registry.plans import assert_index_range


def test_a_lists_members_are_a_range_of_its_index(registry: Registry) -> None:
    members = members_query("dishonest-judgment-defaulters").limit(50)
    assert_index_range(registry, members, "ix_assessment_lists_list_subject", "list_id")


def test_an_agencys_records_are_a_range_of_its_index(registry: Registry) -> None:
    own = agency_records_query("The enforcing people's court").limit(50)
    assert_index_range(registry, own, "ix_records_agency_id", "agency")
