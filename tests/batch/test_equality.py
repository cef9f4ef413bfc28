"""The batch scorer equals the engine: random policies, random records, several subjects."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcredit.policy import PolicySet
from tests.batch.conftest import assert_equal, batch_run, engine_run
from tests.batch.populations import SETTINGS, load_random_policy, population, population_links
from tests.batch.random_policies import policy_documents
from tests.strategies import as_of_dates

pytestmark = pytest.mark.slow  # DuckDB over Hypothesis-drawn policies and populations


@SETTINGS
@given(document=policy_documents(), data=st.data(), day=as_of_dates())
def test_batch_equals_engine_on_random_policies(
    document: dict[str, Any], data: st.DataObject, day: date
) -> None:
    policies = load_random_policy(document)
    records = population(data, policies)
    assert_equal(engine_run(policies, records, day), batch_run(policies, records, day))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), day=as_of_dates())
def test_batch_equals_engine_on_the_lab_policy(
    lab_policy: PolicySet, data: st.DataObject, day: date
) -> None:
    records = population(data, lab_policy)
    assert_equal(engine_run(lab_policy, records, day), batch_run(lab_policy, records, day))


@SETTINGS
@given(document=policy_documents(court=True), data=st.data(), day=as_of_dates())
def test_batch_equals_engine_with_links(
    document: dict[str, Any], data: st.DataObject, day: date
) -> None:
    """Links cross partitions (persons and organisations apart): the first pass's memberships."""
    policies = load_random_policy(document)
    links, listed = population_links(data, policies, day)
    records = population(data, policies) + listed
    expected = engine_run(policies, records, day, links)
    assert_equal(expected, batch_run(policies, records, day, links))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), day=as_of_dates())
def test_batch_equals_engine_with_links_on_the_court_policy(
    court_policy: PolicySet, data: st.DataObject, day: date
) -> None:
    links, listed = population_links(data, court_policy, day)
    records = population(data, court_policy) + listed
    expected = engine_run(court_policy, records, day, links)
    assert_equal(expected, batch_run(court_policy, records, day, links))
