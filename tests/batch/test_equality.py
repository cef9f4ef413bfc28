"""The batch scorer equals the engine: random policies, random records, several subjects."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcredit.engine import Record
from socialcredit.policy import PolicySet, load_policies
from tests.batch.conftest import assert_equal, batch_run, engine_run
from tests.batch.random_policies import policy_documents
from tests.strategies import (
    CARD_HOLDER,
    MINOR,
    ORGANISATION,
    PERMIT_MINOR,
    PERSON,
    TURNING_ADULT,
    as_of_dates,
    record_lists,
)

SUBJECTS = (
    (PERSON, "person"),
    ("440524188001010014", "person"),
    (MINOR, "person"),
    (TURNING_ADULT, "person"),
    (PERMIT_MINOR, "person"),
    (CARD_HOLDER, "person"),
    (ORGANISATION, "organisation"),
    ("91110000600037341L", "organisation"),
)
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _load(document: dict[str, Any]) -> PolicySet:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.yaml"
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return load_policies([path])


def _population(data: st.DataObject, policies: PolicySet) -> list[Record]:
    records: list[Record] = []
    for index, (subject, kind) in enumerate(SUBJECTS):
        drawn = data.draw(record_lists(policies, subject, kind))
        records += [replace(r, id=f"s{index}-{r.id}") for r in drawn]
    return records


@SETTINGS
@given(document=policy_documents(), data=st.data(), day=as_of_dates())
def test_batch_equals_engine_on_random_policies(
    document: dict[str, Any], data: st.DataObject, day: date
) -> None:
    policies = _load(document)
    records = _population(data, policies)
    assert_equal(engine_run(policies, records, day), batch_run(policies, records, day))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), day=as_of_dates())
def test_batch_equals_engine_on_the_lab_policy(
    lab_policy: PolicySet, data: st.DataObject, day: date
) -> None:
    records = _population(data, lab_policy)
    assert_equal(engine_run(lab_policy, records, day), batch_run(lab_policy, records, day))
