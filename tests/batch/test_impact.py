"""``policy diff``: the impact tables equal a subject-by-subject comparison made with the engine."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from socialcredit.batch.impact import ImpactOptions, ImpactResult, policy_impact
from socialcredit.cli.app import app
from socialcredit.engine import Assessment, Record, assess, validate_record
from socialcredit.policy import PolicySet, load_policies
from socialcredit.sim import SynthOptions, synthesise
from tests.conftest import ROOT

EXAMPLES = ROOT / "policies" / "examples"
AS_OF = date(2024, 12, 31)
REMOVED_ITEM = "RC-BLOOD-DONATION"
Key = tuple[str, ...]


def _new_policies(directory: Path) -> Path:
    """The examples with a stricter Rongcheng: a higher base, new bands, an item withdrawn."""
    directory.mkdir()
    for path in EXAMPLES.glob("*.yaml"):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        if document["policy"]["id"] == "rongcheng":
            document["policy"]["version"] = "2.0"
            model = document["score_models"][0]
            model["base"] = 1040
            model["grades"][2]["min"] = 980
            model["grades"][3]["max"] = 979
            document["items"] = [i for i in document["items"] if i["code"] != REMOVED_ITEM]
        (directory / path.name).write_text(yaml.safe_dump(document), encoding="utf-8")
    return directory


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path]]:
    root = tmp_path_factory.mktemp("impact")
    synthesise(
        load_policies([EXAMPLES]),
        SynthOptions(400, 80, date(2022, 1, 1), 36, 5, root / "pop", buckets=2),
    )
    yield root / "pop", _new_policies(root / "new-policies")


def _raw_rows(records: Path) -> list[dict[str, Any]]:
    rows = []
    for path in sorted(records.rglob("*.parquet")):
        for row in pq.read_table(path).to_pylist():
            rows.append({k: str(v) for k, v in row.items() if v is not None})
    return rows


def _engine_side(
    policies: PolicySet, raw: list[dict[str, Any]], kinds: dict[str, str]
) -> dict[str, Assessment]:
    by_subject: dict[str, list[Record]] = {}
    for row in raw:
        record = validate_record(row, policies).record
        if record is not None:
            by_subject.setdefault(record.subject, []).append(record)
    subjects = set(kinds) | set(by_subject)
    return {s: assess(policies, by_subject.get(s, []), s, AS_OF) for s in subjects}


def _expected(
    old: dict[str, Assessment], new: dict[str, Assessment], attrs: dict[str, Key]
) -> dict[str, Counter[Key]]:
    expected: dict[str, Counter[Key]] = {
        "grades": Counter(),
        "lists": Counter(),
        "decisions": Counter(),
    }
    for subject, a in old.items():
        b, group = new[subject], attrs[subject]
        was = {s.model: s.grade for s in a.scores}
        now = {s.model: s.grade for s in b.scores}
        for model in was.keys() | now.keys():
            key = (model, was.get(model, "(none)"), now.get(model, "(none)"), *group)
            expected["grades"][key] += 1
        on_a, on_b = {m.list for m in a.lists}, {m.list for m in b.lists}
        for name in on_a | on_b:
            change = (
                "stayed"
                if name in on_a and name in on_b
                else "exited"
                if name in on_a
                else "entered"
            )
            expected["lists"][(name, change, *group)] += 1
        effects_a = {d.service: d.effect for d in a.decisions if d.effect != "allow"}
        effects_b = {d.service: d.effect for d in b.decisions if d.effect != "allow"}
        for service in effects_a.keys() | effects_b.keys():
            key = (
                service,
                effects_a.get(service, "allow"),
                effects_b.get(service, "allow"),
                *group,
            )
            expected["decisions"][key] += 1
    return expected


def _actual(result: ImpactResult, table: str, keys: tuple[str, ...]) -> Counter[Key]:
    counter: Counter[Key] = Counter()
    for row in result.tables[table].to_pylist():
        counter[tuple(str(row[k]) for k in keys)] += int(row["subjects"])
    return counter


def test_impact_equals_the_engine_subject_by_subject(
    population: tuple[Path, Path], tmp_path: Path
) -> None:
    pop, new_dir = population
    old_policies, new_policies = load_policies([EXAMPLES]), load_policies([new_dir])
    result = policy_impact(
        old_policies, new_policies, ImpactOptions(pop / "records", AS_OF, tmp_path / "out")
    )
    subjects = pq.read_table(pop / "subjects").to_pylist()
    kinds = {s["subject"]: s["kind"] for s in subjects}
    attrs = {s["subject"]: (s["kind"], s["province"], s["sector"] or "(none)") for s in subjects}
    raw = _raw_rows(pop / "records")
    old = _engine_side(old_policies, raw, kinds)
    new = _engine_side(new_policies, raw, kinds)
    expected = _expected(old, new, attrs)
    groups = ("kind", "region", "sector")
    assert (
        _actual(result, "grade_transitions", ("model", "old_grade", "new_grade", *groups))
        == expected["grades"]
    )
    assert _actual(result, "list_changes", ("list", "change", *groups)) == expected["lists"]
    assert (
        _actual(result, "decision_changes", ("service", "old_effect", "new_effect", *groups))
        == expected["decisions"]
    )
    withdrawn = sum(1 for row in raw if row["item"] == REMOVED_ITEM)
    assert withdrawn > 0
    rejected = {(r["side"], r["reasons"]): r["rows"] for r in result.tables["rejected"].to_pylist()}
    assert rejected == {("new", "item: item is not in the catalogue"): withdrawn}
    assert result.summaries[1].rejected == withdrawn
    assert sum(expected["grades"].values()) > 0
    assert any(k[1] != k[2] for k in expected["grades"])  # the change moves someone


def test_cli_writes_report_charts_and_tables(population: tuple[Path, Path], tmp_path: Path) -> None:
    pop, new_dir = population
    out = tmp_path / "diff"
    args = [
        "policy",
        "diff",
        "--old",
        str(EXAMPLES),
        "--new",
        str(new_dir),
        "--records",
        str(pop / "records"),
        "--as-of",
        "2024-12-31",
        "--out",
        str(out),
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    report = (out / "report.md").read_text(encoding="utf-8")
    for heading in (
        "## Grades",
        "### rongcheng-personal",
        "## Lists",
        "## Decisions that change",
        "### By region",
        "### By sector",
        "## Rows refused",
    ):
        assert heading in report
    for png in ("grades-rongcheng-personal.png", "grades-enterprise-compliance.png"):
        assert (out / png).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"]({png})" in report
    header = (out / "grade_transitions.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == '"model","old_grade","new_grade","kind","region","sector","subjects"'
    again = CliRunner().invoke(app, args)
    assert again.exit_code == 2
    assert "not empty" in again.output
