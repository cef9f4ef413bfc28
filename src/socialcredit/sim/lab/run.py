"""``run_scenario``: every replicate of a scenario, written to a run directory.

Layout::

    timeseries.parquet   replicate, month, measure, value (every monthly measure)
    groups.parquet       replicate, dimension, group, subjects, ever listed, ever wrongly
                         listed, person-days under a wrongful restriction
    summary.json         the scenario, and each total's per-replicate values, mean and 95% CI
    report.md | .html    the report, with its charts under charts/

The same scenario and seed give byte-identical files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from socialcredit.sim.lab.conduct import Month
from socialcredit.sim.lab.replicate import Lab, run_replicate
from socialcredit.sim.lab.report import write_report
from socialcredit.sim.lab.results import ReplicateResult, results_of
from socialcredit.sim.lab.stats import estimate
from socialcredit.sim.scenario_loader import LoadedScenario

Progress = Callable[[int, int], None]
FORMATS = ("md", "html")


@dataclass(frozen=True)
class RunOptions:
    out: Path
    report_format: str = "md"
    charts: bool = True


def _finite(value: float) -> float | None:
    return None if math.isnan(value) else value


def summary_of(loaded: LoadedScenario, results: list[ReplicateResult]) -> dict[str, Any]:
    s = loaded.scenario
    names = sorted({k for r in results for k in r.totals})
    totals = {}
    for name in names:
        values = [r.totals.get(name, float("nan")) for r in results]
        found = estimate(values).as_dict()
        totals[name] = {
            "replicates": [_finite(v) for v in values],
            **{k: _finite(v) if isinstance(v, float) else v for k, v in found.items()},
        }
    return {
        "scenario": {"id": s.scenario.id, "title": s.scenario.title, "file": loaded.path.name},
        "seed": s.seed,
        "start": s.start.isoformat(),
        "horizon_months": s.horizon_months,
        "replicates": len(results),
        "population": s.population.model_dump(),
        "totals": totals,
    }


def write_run(loaded: LoadedScenario, results: list[ReplicateResult], options: RunOptions) -> None:
    out = options.out
    out.mkdir(parents=True, exist_ok=True)
    series = pa.concat_tables([r.series for r in results])
    groups = pa.concat_tables([r.groups for r in results])
    pq.write_table(series, out / "timeseries.parquet", compression="zstd")
    pq.write_table(groups, out / "groups.parquet", compression="zstd")
    summary = summary_of(loaded, results)
    text = json.dumps(summary, indent=2, sort_keys=True, allow_nan=False) + "\n"
    (out / "summary.json").write_text(text, encoding="utf-8")
    write_report(summary, series, groups, options.out, options.report_format, options.charts)


def run_scenario(
    loaded: LoadedScenario, options: RunOptions, progress: Progress | None = None
) -> dict[str, Any]:
    """Run every replicate, write the run directory and return the summary."""
    s = loaded.scenario
    total = s.replicates * s.horizon_months
    results = []
    for replicate in range(s.replicates):

        def observe(_lab: Lab, month: Month, done: int = replicate * s.horizon_months) -> None:
            if progress is not None:
                progress(done + month.index + 1, total)

        results.append(results_of(run_replicate(loaded, replicate, observe), replicate))
    write_run(loaded, results, options)
    return summary_of(loaded, results)
