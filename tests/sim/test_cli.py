"""``socialcredit sim``: run (byte-identical for a seed), compare, sweep and calibrate."""

from __future__ import annotations

import csv
import hashlib
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from socialcredit.cli.app import app
from socialcredit.policy import load_policies
from socialcredit.sim.lab.sweep import override
from socialcredit.sim.scenario_loader import ScenarioError, load_scenario
from tests.sim.scenarios import COURT, POLICIES, write

SHORT = COURT.replace("horizon_months: 6", "horizon_months: 2").replace("month: 3", "month: 1")


@pytest.fixture
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)


def _digests(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_run_is_byte_identical_compares_and_calibrates(workdir: Path) -> None:
    scenario = write(workdir, SHORT)
    _run("sim", "run", str(scenario), "--out", str(workdir / "a"))
    _run("sim", "run", str(scenario), "--out", str(workdir / "b"))
    assert _digests(workdir / "a") == _digests(workdir / "b")
    names = set(_digests(workdir / "a"))
    assert {"timeseries.parquet", "groups.parquet", "summary.json", "report.md"} <= names
    assert "charts/listed.png" in names
    series = pq.read_table(workdir / "a" / "timeseries.parquet")
    assert set(series["month"].to_pylist()) == {0, 1}
    assert set(series["replicate"].to_pylist()) == {0, 1}
    summary = json.loads((workdir / "a" / "summary.json").read_text())
    assert summary["totals"]["listed"]["n"] == 2
    totals = {k: v["mean"] for k, v in summary["totals"].items()}
    assert 0 < totals["objections_late"] <= totals["objections"]  # one slow reviewer
    report = (workdir / "a" / "report.md").read_text()
    assert "## Wrongful sanctions (ground truth)" in report
    assert "### By region" in report
    other = write(workdir, SHORT.replace("misattribution: 0.05", "misattribution: 0.3"), "b.yaml")
    _run("sim", "run", str(other), "--out", str(workdir / "c"), "--format", "html")
    assert (workdir / "c" / "report.html").read_text().startswith("<!doctype html>")
    output = _run("sim", "compare", str(workdir / "a"), str(workdir / "c"))
    assert "erroneous_filed" in output
    assert "B - A [95% CI]" in output
    output = _run("sim", "calibrate", str(workdir / "a"))
    assert "share of residents on the defaulter list" in output
    assert "flight purchases blocked" in output
    assert "gap" in output


def test_sweep_runs_each_value_in_its_own_process(workdir: Path) -> None:
    text = SHORT.replace("replicates: 2", "replicates: 1")
    scenario = write(workdir, text)
    out = workdir / "sweep"
    _run(
        "sim", "sweep", str(scenario), "--parameter", "data_errors.0.misattribution",
        "--values", "0,0.4", "--out", str(out),
    )  # fmt: skip
    rows = list(csv.DictReader((out / "sweep.csv").open(encoding="utf-8")))
    assert [r["value"] for r in rows] == ["0", "0.4"]
    assert (out / "data_errors.0.misattribution=0.4" / "summary.json").is_file()
    clean = json.loads((out / "data_errors.0.misattribution=0" / "summary.json").read_text())
    assert clean["totals"]["ever_wrongly_listed"]["mean"] <= float(rows[1]["ever_wrongly_listed"])


def test_a_bad_scenario_runs_nothing(workdir: Path) -> None:
    scenario = write(workdir, COURT.replace("horizon_months: 6", "horizon_months: 0"))
    result = CliRunner().invoke(app, ["sim", "run", str(scenario), "--out", str(workdir / "x")])
    assert result.exit_code == 1
    assert "horizon_months" in result.output
    assert not (workdir / "x").exists()


def test_a_bad_sweep_value_is_refused(workdir: Path) -> None:
    scenario = write(workdir)
    args = ["sim", "sweep", str(scenario), "--parameter", "seed", "--values", "1,-3"]
    result = CliRunner().invoke(app, [*args, "--out", str(workdir / "s")])
    assert result.exit_code == 2
    assert not (workdir / "s").exists()


def test_a_sweep_over_policy_files_loads_and_checks_each(workdir: Path) -> None:
    loaded = load_scenario(write(workdir))
    other = override(loaded, "policies.0", str(POLICIES / "enterprise.yaml"))
    assert set(other.policies_at(0).items) == set(
        load_policies([POLICIES / "enterprise.yaml"]).items
    )
    with pytest.raises(ScenarioError):
        override(loaded, "policies.0", str(workdir / "missing.yaml"))
