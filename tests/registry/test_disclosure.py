"""A public list's page reads the list's own entries, in subject order."""

from __future__ import annotations

from socialcredit.registry import Registry
from socialcredit.registry.disclosure import members_query
from tests.registry.plans import assert_index_range


def test_a_lists_members_are_a_range_of_its_index(registry: Registry) -> None:
    members = members_query("dishonest-judgment-defaulters").limit(50)
    assert_index_range(registry, members, "ix_assessment_lists_list_subject", "list_id")
