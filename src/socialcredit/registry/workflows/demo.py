"""Deterministic example data for a demo registry: valid identifiers, catalogued items.

``demo_records(policies, subjects, seed)`` yields raw records (as an agency file would hold
them) for ``subjects`` subjects, one in ten an organisation; ``by_agency`` groups them by the
agency that establishes each item, as ``records submit --agency`` needs. No real person's data.
"""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date, timedelta
from typing import Any

from socialcredit.identity import example_credit_code, example_resident_id
from socialcredit.policy import PolicySet
from socialcredit.policy.vocabulary import Polarity

REGIONS = ("110105", "310104", "440305", "371082", "510107")


def person_id(n: int) -> str:
    return example_resident_id(n, REGIONS[n % len(REGIONS)])


def organisation_id(n: int) -> str:
    return example_credit_code(n, REGIONS[n % len(REGIONS)])


def _items(policies: PolicySet) -> dict[str, list[str]]:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for code, item in sorted(policies.items.items()):
        for kind in item.subject_kinds:
            by_kind[kind].append(code)
    return by_kind


def _record(
    policies: PolicySet, code: str, subject: str, number: int, rng: random.Random, until: date
) -> dict[str, Any]:
    item = policies.items[code]
    decided = until - timedelta(days=rng.randrange(3 * 365))
    raw: dict[str, Any] = {
        "id": f"demo-{number:07d}",
        "subject": subject,
        "item": code,
        "authority": item.authority,
        "reference": f"DEMO ({decided.year}) No. {number}",
        "decided_on": decided.isoformat(),
    }
    if item.polarity is Polarity.NEGATIVE:
        raw["notified_on"] = (decided + timedelta(days=rng.randrange(1, 5))).isoformat()
        if rng.random() < 0.15:
            raw["resolved_on"] = (decided + timedelta(days=rng.randrange(10, 300))).isoformat()
    return raw


def demo_records(
    policies: PolicySet, subjects: int, seed: int = 1, until: date = date(2025, 6, 1)
) -> Iterator[dict[str, Any]]:
    """Raw records for ``subjects`` subjects (0 to 4 records each), decided before ``until``."""
    rng = random.Random(seed)
    items = _items(policies)
    number = 0
    for n in range(subjects):
        kind = "organisation" if n % 10 == 0 else "person"
        subject = organisation_id(n) if kind == "organisation" else person_id(n)
        for _ in range(rng.choice((1, 1, 2, 2, 3, 4))):
            number += 1
            yield _record(policies, rng.choice(items[kind]), subject, number, rng, until)


def by_agency(records: Iterable[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for raw in records:
        grouped[str(raw["authority"])].append(raw)
    return dict(grouped)


def by_catalogue_authority(
    policies: PolicySet, records: Iterable[dict[str, Any]]
) -> dict[str, list[dict[str, Any]]]:
    """Records grouped by the catalogue ``authority`` of their item: the agency that submits
    them (a record's own ``authority`` may name the deciding body, e.g. a district court)."""
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for raw in records:
        item = policies.items.get(str(raw.get("item")))
        grouped[str(raw.get("authority") if item is None else item.authority)].append(raw)
    return dict(grouped)
