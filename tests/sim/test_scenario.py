"""Scenarios as data: the committed schema is current; bad scenarios are refused at once."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from socialcredit.sim.scenario import scenario_json_schema, scenario_json_schema_text
from socialcredit.sim.scenario_loader import ScenarioError, load_scenario
from tests.conftest import ROOT

SCENARIOS = ROOT / "examples" / "scenarios"
POLICY = ROOT / "policies" / "examples" / "judgment-defaulters.yaml"


@pytest.fixture
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def test_committed_schema_is_current() -> None:
    committed = (ROOT / "schema" / "scenario.schema.json").read_text(encoding="utf-8")
    assert committed == scenario_json_schema_text(), "regenerate it: make schema"
    assert json.loads(committed) == scenario_json_schema()


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda p: p.name)
def test_examples_load(path: Path) -> None:
    loaded = load_scenario(path)
    assert loaded.scenario.horizon_months >= 12
    assert loaded.policy_sets[0][0] == 0


BAD = f"""scenario: {{id: bad, title: Bad}}
seed: 1
start: 2025-01-01
horizon_months: 0
population: {{persons: 10, organisations: 1}}
policies: [{POLICY}]
conduct:
  hazards:
    - {{item: NO-SUCH-ITEM, person: 0.1}}
    - {{item: SPC-REFUSE, person: 1.5}}
  colour: blue
data_errors:
  - {{agency: Nobody at all, misattribution: 0.1}}
"""


def test_every_problem_is_reported_with_its_line(workdir: Path) -> None:
    path = workdir / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    rendered = [p.render() for p in raised.value.problems]
    assert any(":4:" in r and "horizon_months" in r for r in rendered), rendered
    assert any(":10:" in r and "less than or equal to 1" in r for r in rendered), rendered
    assert any(":11:" in r and "unknown key 'colour'" in r for r in rendered), rendered


def test_references_are_checked_after_the_shape(workdir: Path) -> None:
    text = BAD.replace("horizon_months: 0", "horizon_months: 12")
    text = text.replace("person: 1.5", "person: 0.5").replace("  colour: blue\n", "")
    path = workdir / "refs.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    rendered = [p.render() for p in raised.value.problems]
    assert any(":9:" in r and "unknown item 'NO-SUCH-ITEM'" in r for r in rendered), rendered
    assert any(":12:" in r and "Nobody at all" in r for r in rendered), rendered
    assert len(rendered) == 2


def test_an_unknown_score_model_is_reported(workdir: Path) -> None:
    text = BAD.replace("horizon_months: 0", "horizon_months: 12")
    text = text.replace("person: 1.5", "person: 0.5").replace(
        "  colour: blue\n", "  deterrence: {score: {model: nope, below: 1, multiplier: 0.5}}\n"
    )
    path = workdir / "score.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    rendered = [p.render() for p in raised.value.problems]
    assert any(":11:" in r and "unknown score model 'nope'" in r for r in rendered), rendered


def test_a_policy_that_does_not_load_is_reported(workdir: Path) -> None:
    refused = ROOT / "policies" / "refused" / "no-legal-basis.yaml"
    text = BAD.replace(str(POLICY), str(refused)).replace("horizon_months: 0", "horizon_months: 3")
    path = workdir / "policy.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    rendered = [p.render() for p in raised.value.problems]
    assert any(":6:" in r and "do not load" in r for r in rendered), rendered
    assert any("no-legal-basis.yaml:" in r for r in rendered), rendered
