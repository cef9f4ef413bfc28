"""Every golden case of tests/golden/ through the batch scorer (DuckDB)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from socialcredit.identity import parse_subject
from socialcredit.ingest import read_records
from socialcredit.policy import load_policies
from tests.batch.conftest import batch_run
from tests.batch.projection import dict_projection
from tests.golden_bugs import KNOWN_ENGINE_BUGS
from tests.test_golden import case_links

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p for p in GOLDEN.glob("*") if (p / "case.yaml").is_file())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_golden_case_through_batch(case: Path) -> None:
    spec: dict[str, Any] = yaml.safe_load((case / "case.yaml").read_text(encoding="utf-8"))
    if case.name in KNOWN_ENGINE_BUGS:
        pytest.skip("known engine bug: the batch scorer follows the engine")
    policies = load_policies([ROOT / "policies" / p for p in spec["policies"]])
    batch = read_records(case / "records.jsonl", policies)
    as_of = date.fromisoformat(str(spec["as_of"]))
    links = case_links(case)
    result = batch_run(policies, batch.records, as_of, links or None)
    expected = dict_projection(json.loads((case / "expected.json").read_text(encoding="utf-8")))
    subject = parse_subject(str(spec["subject"])).value
    assert result[subject] == expected
