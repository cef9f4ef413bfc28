"""Properties of the loader over the base: any policy that only narrows base entries and base
measures loads; widening any one field of it beyond the base is refused."""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialcredit.errors import PolicyError
from socialcredit.policy import load_policies
from socialcredit.policy.base import base_catalogue
from socialcredit.policy.base_models import SEVERITIES, TIERS
from tests.policy_strategies import base_policies

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(document: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.yaml"
        path.write_text(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), "utf-8")
        load_policies([path])


@SETTINGS
@given(document=base_policies())
def test_a_policy_that_narrows_the_base_loads(document: dict[str, Any]) -> None:
    _load(document)


def _widen_item(doc: dict[str, Any], field: str) -> bool:
    """Widen one field of the first item beyond its base entry; False if it cannot be."""
    item = doc["items"][0]
    entry = base_catalogue().entries[item["base"]]
    if field == "counts_for":
        item["counts_for"] = f"{entry.max_counts_for.max_days() + 1}d"
    elif field == "tier":
        wider = TIERS[TIERS.index(entry.max_disclosure.tier) + 1 :]
        if not wider:
            return False
        item["disclosure"]["tier"] = wider[0]
    elif field == "period":
        item["disclosure"]["period"] = f"{entry.max_disclosure.period.max_days() + 1}d"
    elif field == "severity":
        higher = SEVERITIES[SEVERITIES.index(entry.max_severity) + 1 :]
        if not higher:
            return False
        item["severity"] = str(higher[0])
    elif field == "subject_kinds":
        if len(entry.subject_kinds) == 2:
            return False
        item["subject_kinds"] = ["person", "organisation"]
    elif field == "authority_kind":
        others = sorted(set(base_catalogue().authority_kinds) - set(entry.authority_kinds))
        item["authority_kind"] = others[0] if others else "informant"
    elif field == "base":
        item["base"] = "BC-NOT-IN-THE-BASE"
    return True


def _widen_measure(doc: dict[str, Any], field: str) -> bool:
    if not doc["memoranda"]:
        return False
    measure = doc["memoranda"][0]["measures"][0]
    found = base_catalogue().measures[measure["base"]]
    if field == "service":
        outside = sorted(set(base_catalogue().services) - set(found.services))
        doc["services"].append(
            {"id": "svc-extra", "base": outside[0], "title": "Extra", "domain": "transport"}
        )
        doc["services"][-1]["domain"] = base_catalogue().services[outside[0]].sector
        measure["services"].append("svc-extra")
    elif field == "target":
        measure["targets"] = [*measure["targets"], "spouse"]
    elif field == "effect":
        if found.effect == "deny":
            return False
        measure["effect"] = "deny" if found.effect == "restrict" else "restrict"
    elif field == "list_colour":
        lst = doc["lists"][0]
        code = lst["entry"]["items"][0]["item"]
        item = next(i for i in doc["items"] if i["code"] == code)
        entry = base_catalogue().entries[item["base"]]
        others = sorted({"black", "watch", "red"} - set(entry.lists))
        lst["kind"] = others[0]
    elif field == "exit":
        doc["lists"][0]["exit"] = [{"when": "renewed_by_the_authority", "text": "Renewed"}]
    return True


ITEM_FIELDS = [
    "counts_for",
    "tier",
    "period",
    "severity",
    "subject_kinds",
    "authority_kind",
    "base",
]
MEASURE_FIELDS = ["service", "target", "effect", "list_colour", "exit"]


@SETTINGS
@given(document=base_policies(), field=st.sampled_from(ITEM_FIELDS + MEASURE_FIELDS))
def test_widening_any_one_field_is_refused(document: dict[str, Any], field: str) -> None:
    widened = copy.deepcopy(document)
    changed = (
        _widen_item(widened, field) if field in ITEM_FIELDS else _widen_measure(widened, field)
    )
    if not changed:
        return
    with pytest.raises(PolicyError):
        _load(widened)
