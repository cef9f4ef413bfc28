"""``socialcredit sim``: run a scenario, compare two runs, sweep a parameter, calibrate."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.output import reported_errors, stdout
from socialcredit.cli.progress import fraction_bar
from socialcredit.errors import InputError
from socialcredit.sim.lab.calibration import calibrate
from socialcredit.sim.lab.compare import compare_runs
from socialcredit.sim.lab.run import FORMATS, RunOptions, run_scenario
from socialcredit.sim.lab.sweep import SWEEP_COLUMNS, run_sweep
from socialcredit.sim.scenario_loader import load_scenario

app = typer.Typer(help="The simulation lab: run a policy on a synthetic society for years.")

ScenarioArg = Annotated[Path, typer.Argument(help="Scenario YAML file.")]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="Output directory.")]


def _number(value: float | None, digits: int = 1) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}"


@app.command("run")
def run_command(
    scenario: ScenarioArg,
    out: OutOpt,
    report_format: Annotated[
        str, typer.Option("--format", help="Report format: md or html.")
    ] = "md",
) -> None:
    """Run every replicate of a scenario; write the time series, summary and report."""
    with reported_errors():
        if report_format not in FORMATS:
            raise InputError(f"--format must be one of {', '.join(FORMATS)}")
        loaded = load_scenario(scenario)
        s = loaded.scenario
        with fraction_bar("months", s.replicates * s.horizon_months) as bar:
            summary = run_scenario(loaded, RunOptions(out, report_format), bar.update)
    totals = summary["totals"]
    stdout().print(
        f"ran {s.replicates} replicate(s) of {s.horizon_months} months: "
        f"{_number(totals['listed']['mean'])} listed at the end, "
        f"{_number(totals['ever_wrongly_listed']['mean'])} ever wrongly listed "
        f"(mean over replicates); report in {out / f'report.{report_format}'}",
        markup=False,
    )


@app.command("compare")
def compare_command(
    run_a: Annotated[Path, typer.Argument(help="Run directory A (the baseline).")],
    run_b: Annotated[Path, typer.Argument(help="Run directory B.")],
) -> None:
    """Each total of two runs: A, B, and B minus A with a 95% interval."""
    with reported_errors():
        differences = compare_runs(run_a, run_b)
    table = Table(title=f"{run_b} minus {run_a}", title_justify="left")
    for column in ("measure", "A", "B", "B - A [95% CI]", ""):
        table.add_column(column, justify="left" if column == "measure" else "right")
    for d in differences:
        mark = "*" if d.significant else ""
        table.add_row(d.measure, _number(d.a), _number(d.b), d.change.render(), mark)
    stdout().print(table)
    stdout().print("* the interval excludes zero", markup=False)


@app.command("sweep")
def sweep_command(
    scenario: ScenarioArg,
    parameter: Annotated[
        str, typer.Option("--parameter", help="Dotted path, e.g. data_errors.0.misattribution.")
    ],
    values: Annotated[str, typer.Option("--values", help="Comma-separated values.")],
    out: OutOpt,
    jobs: Annotated[int, typer.Option("--jobs", help="Processes run at once.")] = 2,
) -> None:
    """Run a scenario once per value of one parameter, each run in its own process."""
    with reported_errors():
        rows = run_sweep(scenario, parameter, values.split(","), out, jobs)
    table = Table(title=f"{parameter} (means over replicates)", title_justify="left")
    for column in ("value", *SWEEP_COLUMNS):
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(row["value"], *(_number(row[c]) for c in SWEEP_COLUMNS))
    stdout().print(table)


@app.command("calibrate")
def calibrate_command(
    run: Annotated[Path, typer.Argument(help="Run directory of a baseline scenario.")],
) -> None:
    """Set a run against the courts' published figures and print each gap."""
    with reported_errors():
        figures = calibrate(run)
    console = stdout()
    for f in figures:
        gap = "n/a" if f.gap is None else f"{f.gap:+.0%}"
        console.print(
            f"{f.name}: published {f.published:.4g}, lab {_number(f.lab, 4)}, gap {gap}\n"
            f"  source: {f.source}",
            markup=False,
        )
