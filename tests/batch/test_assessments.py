"""Whole assessments rebuilt from the batch output equal the engine's, with the next change date.

This is the registry's use of the batch scorer (``registry rescore``): what it stores must be
exactly what ``engine.assess_with_next_change`` gives, explanations included.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialcredit.batch.assessments import assessments, partition_rows
from socialcredit.batch.options import BatchOptions
from socialcredit.batch.run import assess_dataset
from socialcredit.engine import Link, Record, assess_with_next_change
from socialcredit.policy import PolicySet
from tests.batch.conftest import write_links, write_records
from tests.batch.populations import SETTINGS, load_random_policy, population, population_links
from tests.batch.random_policies import policy_documents
from tests.strategies import as_of_dates

pytestmark = pytest.mark.slow  # DuckDB over Hypothesis-drawn policies and populations


def _check(
    policies: PolicySet, records: list[Record], day: date, links: list[Link] | None = None
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "records", Path(tmp) / "out"
        write_records(records, source / "part-0.parquet")
        linked = None
        if links is not None:
            linked = Path(tmp) / "links"
            write_links(links, linked / "links.parquet")
        assess_dataset(policies, BatchOptions(source, out, day, links=linked))
        partitions = [
            "all",
            *(["linked"] if (out / "subjects" / "part-linked.parquet").exists() else []),
        ]
        rebuilt = {
            a.subject: (a.to_dict(), n)
            for name in partitions
            for a, n in assessments(policies, partition_rows(out, name), day, links or ())
        }
    expected: dict[str, Any] = {}
    for subject in sorted({r.subject for r in records} | {k.person for k in links or ()}):
        found, next_on = assess_with_next_change(policies, records, subject, day, links or ())
        expected[subject] = (found.to_dict(), next_on)
    assert rebuilt.keys() == expected.keys()
    for subject, (body, next_on) in expected.items():
        assert rebuilt[subject][0] == body, subject
        assert rebuilt[subject][1] == next_on, subject


@SETTINGS
@given(document=policy_documents(), data=st.data(), day=as_of_dates())
def test_rebuilt_assessments_equal_the_engine(
    document: dict[str, Any], data: st.DataObject, day: date
) -> None:
    policies = load_random_policy(document)
    _check(policies, population(data, policies), day)


@SETTINGS
@given(data=st.data(), day=as_of_dates())
def test_rebuilt_assessments_equal_the_engine_on_the_lab_policy(
    lab_policy: PolicySet, data: st.DataObject, day: date
) -> None:
    _check(lab_policy, population(data, lab_policy), day)


@SETTINGS
@given(document=policy_documents(court=True), data=st.data(), day=as_of_dates())
def test_rebuilt_assessments_with_links_equal_the_engine(
    document: dict[str, Any], data: st.DataObject, day: date
) -> None:
    policies = load_random_policy(document)
    links, listed = population_links(data, policies, day)
    _check(policies, population(data, policies) + listed, day, links)


@SETTINGS
@given(data=st.data(), day=as_of_dates())
def test_rebuilt_assessments_with_links_on_the_court_policy(
    court_policy: PolicySet, data: st.DataObject, day: date
) -> None:
    links, listed = population_links(data, court_policy, day)
    _check(court_policy, population(data, court_policy) + listed, day, links)
