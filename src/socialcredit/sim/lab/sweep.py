"""Parameter sweeps: one scenario run once per value of one parameter, each in its own process.

A parameter is a dotted path into the scenario (``data_errors.0.misattribution``,
``due_process.reviewers.0.reviewers``, ``conduct.deterrence.listed``, or ``policies.0`` with
other policy files, e.g. the same policy with other thresholds or terms); each value is read
as YAML and the changed scenario is validated again before anything runs. Runs go to
``OUT/<parameter>=<value>/`` and the sweep's totals to ``OUT/sweep.csv``.
"""

from __future__ import annotations

import csv
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from socialcredit.errors import InputError
from socialcredit.sim.lab.run import RunOptions, run_scenario
from socialcredit.sim.scenario import Scenario
from socialcredit.sim.scenario_loader import LoadedScenario, load_scenario, with_scenario

SWEEP_COLUMNS = (
    "ever_wrongly_listed",
    "wrongful_restriction_days",
    "listed",
    "corrected",
    "days_to_correction_mean",
    "review_wait_days_mean",
)


@dataclass(frozen=True)
class SweepJob:
    scenario: Path
    parameter: str
    value: str
    out: Path


def _set(data: Any, path: list[str], value: Any) -> None:
    key: str | int = int(path[0]) if isinstance(data, list) else path[0]
    try:
        if len(path) == 1:
            if isinstance(data, dict) and key not in data:
                raise KeyError(key)
            data[key] = value
        else:
            _set(data[key], path[1:], value)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise InputError(f"the scenario has no parameter {'.'.join(path)!r}") from exc


def override(loaded: LoadedScenario, parameter: str, value: str) -> LoadedScenario:
    data = loaded.scenario.model_dump(mode="json")
    _set(data, parameter.split("."), yaml.safe_load(value))
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"{parameter}={value} is not a valid scenario: {exc}") from exc
    if parameter.split(".", maxsplit=1)[0] in ("policies", "changes"):
        return with_scenario(loaded, scenario)  # another policy file: load and check it
    return replace(loaded, scenario=scenario)


def run_job(job: SweepJob) -> dict[str, Any]:
    loaded = override(load_scenario(job.scenario), job.parameter, job.value)
    summary = run_scenario(loaded, RunOptions(job.out, charts=False))
    return {"value": job.value, **{k: summary["totals"][k]["mean"] for k in SWEEP_COLUMNS}}


def run_sweep(
    scenario: Path, parameter: str, values: list[str], out: Path, jobs: int
) -> list[dict[str, Any]]:
    loaded = load_scenario(scenario)
    for value in values:  # refuse a bad value before any process starts
        override(loaded, parameter, value)
    work = [SweepJob(scenario, parameter, v, out / f"{parameter}={v}") for v in values]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context) as pool:
        rows = list(pool.map(run_job, work))
    out.mkdir(parents=True, exist_ok=True)
    with (out / "sweep.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, ["value", *SWEEP_COLUMNS], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows
