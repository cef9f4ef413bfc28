"""Random populations for the batch scorer's equality tests: a few subjects of each kind, their
records drawn from a policy set, and random policy documents loaded as a policy set."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

from socialcredit.engine import Record
from socialcredit.engine.compiled import compiled
from socialcredit.engine.links import Link
from socialcredit.policy import PolicySet, load_policies
from tests.strategies import (
    CARD_HOLDER,
    LINKED_ONLY,
    MINOR,
    ORGANISATION,
    PERMIT_MINOR,
    PERSON,
    TURNING_ADULT,
    link_lists,
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


def load_random_policy(document: dict[str, Any]) -> PolicySet:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "random.yaml"
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return load_policies([path])


def population(data: st.DataObject, policies: PolicySet) -> list[Record]:
    records: list[Record] = []
    for index, (subject, kind) in enumerate(SUBJECTS):
        drawn = data.draw(record_lists(policies, subject, kind))
        records += [replace(r, id=f"s{index}-{r.id}") for r in drawn]
    return records


LINKED_PERSONS = [PERSON, MINOR, TURNING_ADULT, LINKED_ONLY]
"""The persons links are drawn for: an adult, minors, and one with no record of its own."""
ORGANISATIONS = [s for s, kind in SUBJECTS if kind == "organisation"]


def population_links(
    data: st.DataObject, policies: PolicySet, day: date
) -> tuple[list[Link], list[Record]]:
    """Links between the population's organisations and persons, and for some organisations a
    record entering a list whose measures reach linked persons, decided shortly before ``day``
    (so that a fair share of the drawn links meets a listed organisation)."""
    index = compiled(policies)
    items = sorted({i for lid in index.reaching for i in index.lists[lid].terms})
    extra = []
    for n, organisation in enumerate(ORGANISATIONS):
        if items and data.draw(st.booleans()):
            decided = day - timedelta(days=data.draw(st.integers(10, 400)))
            item = data.draw(st.sampled_from(items))
            extra.append(
                Record(f"o{n}", organisation, "organisation", item, decided, "Court", f"O-{n}")
            )
    return data.draw(link_lists(ORGANISATIONS, LINKED_PERSONS, day)), extra
