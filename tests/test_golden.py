"""Golden files: records in, expected assessment out, one small case per engine rule.

Every directory ``tests/golden/<case>/`` holds:

- ``case.yaml``: ``description``, ``policies`` (paths relative to ``policies/``), ``subject``
  and ``as_of`` (``YYYY-MM-DD``);
- ``records.jsonl``: the records, one JSON object per line;
- ``links.jsonl`` (optional): links between organisations and persons, one per line;
- ``expected.json``: ``Assessment.to_dict()`` of that subject on that date, pretty-printed
  (indent 2, ``ensure_ascii=False``, trailing newline), without the ``policies`` key (it holds
  file hashes that change whenever a policy file is edited).

The key facts of every expected output (statuses, dates, points, grades, list runs, decision
effects) were worked out by hand from docs/semantics.md; the computation is written out in its
section 6, "Worked examples", one subsection per case.

To rewrite ``expected.json`` from the engine's current output:

    SOCIALCREDIT_UPDATE_GOLDEN=1 .venv/bin/pytest -q tests/test_golden.py

then review every changed file by hand against docs/semantics.md (``git diff tests/golden``)
before committing: an update is a claim that the new output is what the spec says. Cases listed
in ``KNOWN_ENGINE_BUGS`` are never rewritten: their ``expected.json`` holds the output the spec
requires, and they are expected to fail (strictly) until the engine is fixed.
"""

from __future__ import annotations

import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from socialcredit.engine import assess
from socialcredit.engine.links import Link
from socialcredit.ingest import read_records
from socialcredit.ingest.links import read_links
from socialcredit.policy import load_policies
from tests.golden_bugs import KNOWN_ENGINE_BUGS

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
POLICIES = ROOT / "policies"
SEMANTICS = ROOT / "docs" / "semantics.md"
UPDATE = os.environ.get("SOCIALCREDIT_UPDATE_GOLDEN") == "1"
CASE_KEYS = {"description", "policies", "subject", "as_of"}

CASES = sorted(path for path in GOLDEN.iterdir() if (path / "case.yaml").is_file())


def _params() -> list[Any]:
    params = []
    for case in CASES:
        bug = KNOWN_ENGINE_BUGS.get(case.name)
        marks = [pytest.mark.xfail(strict=True, reason=f"engine bug: {bug}")] if bug else []
        params.append(pytest.param(case, id=case.name, marks=marks))
    return params


def load_case(case: Path) -> dict[str, Any]:
    spec = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    assert isinstance(spec, dict), f"{case.name}/case.yaml is not a mapping"
    assert set(spec) == CASE_KEYS, f"{case.name}/case.yaml keys: {sorted(spec)}"
    return spec


def case_links(case: Path) -> list[Link]:
    """The case's links (``links.jsonl``, optional), all valid."""
    path = case / "links.jsonl"
    if not path.is_file():
        return []
    found = read_links(path)
    assert not found.problems, [p.as_problem().render() for p in found.problems]
    return found.links


def run_case(case: Path) -> dict[str, Any]:
    """The engine's assessment of the case, as JSON data, without ``policies``."""
    spec = load_case(case)
    policies = load_policies([POLICIES / p for p in spec["policies"]])
    batch = read_records(case / "records.jsonl", policies)
    assert not batch.problems, [p.as_problem().render() for p in batch.problems]
    links = case_links(case)
    as_of = date.fromisoformat(str(spec["as_of"]))
    result = assess(policies, batch.records, str(spec["subject"]), as_of, links).to_dict()
    result.pop("policies")
    # Through JSON, so enums, tuples and dates compare as they are stored.
    loaded: dict[str, Any] = json.loads(json.dumps(result, ensure_ascii=False))
    return loaded


def render(result: dict[str, Any]) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def test_golden_cases_exist() -> None:
    assert len(CASES) >= 14
    for case in CASES:
        assert (case / "records.jsonl").is_file(), f"{case.name}: records.jsonl is missing"
        assert (case / "expected.json").is_file() or UPDATE, (
            f"{case.name}: expected.json is missing; generate it with SOCIALCREDIT_UPDATE_GOLDEN=1 "
            "and review it by hand"
        )


def test_every_case_is_a_worked_example() -> None:
    text = SEMANTICS.read_text(encoding="utf-8")
    section = text[text.index("## 6. Worked examples") :]
    missing = [case.name for case in CASES if f"`{case.name}`" not in section]
    assert missing == [], f"golden cases without a worked example in docs/semantics.md: {missing}"


def test_known_bugs_name_existing_cases() -> None:
    assert set(KNOWN_ENGINE_BUGS) <= {case.name for case in CASES}


@pytest.mark.parametrize("case", _params())
def test_golden(case: Path) -> None:
    actual = run_case(case)
    expected_path = case / "expected.json"
    if UPDATE and case.name not in KNOWN_ENGINE_BUGS:
        expected_path.write_text(render(actual), encoding="utf-8")
        return
    stored = expected_path.read_text(encoding="utf-8")
    expected = json.loads(stored)
    assert stored == render(expected), f"{case.name}/expected.json is not in canonical form"
    assert "policies" not in expected
    assert actual == expected
