"""``socialcredit synth``: write a synthetic population and its records as Parquet."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from socialcredit.cli.output import reported_errors, stdout
from socialcredit.cli.progress import fraction_bar
from socialcredit.policy import load_policies
from socialcredit.sim import SynthOptions, synthesise

DEFAULT_POLICIES = Path("policies/examples")


def synth_command(  # noqa: PLR0913, PLR0917 - one parameter per command-line option
    persons: Annotated[int, typer.Option("--persons", help="Number of natural persons.")],
    organisations: Annotated[int, typer.Option("--organisations", help="Number of organisations.")],
    start: Annotated[
        datetime,
        typer.Option("--start", formats=["%Y-%m-%d"], help="First day of the period, YYYY-MM-DD."),
    ],
    months: Annotated[int, typer.Option("--months", help="Length of the period in months.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
    seed: Annotated[int, typer.Option("--seed", help="Random seed (same seed, same bytes).")] = 1,
    policy: Annotated[
        list[Path] | None,
        typer.Option(
            "--policy", "-p", help="Policy file or directory (default policies/examples)."
        ),
    ] = None,
    buckets: Annotated[
        int, typer.Option("--buckets", help="Subject buckets (0: one per 250,000 subjects).")
    ] = 0,
) -> None:
    """Write a synthetic population and records of every item of the policies, as Parquet."""
    with reported_errors():
        policies = load_policies(policy or [DEFAULT_POLICIES])
        options = SynthOptions(persons, organisations, start.date(), months, seed, out, buckets)
        with fraction_bar("buckets", options.bucket_count()) as bar:
            summary = synthesise(policies, options, bar.update)
    stdout().print(
        f"wrote {summary.persons} persons, {summary.organisations} organisations and "
        f"{summary.records} records in {summary.buckets} buckets to {out} "
        f"(sample: {summary.sample_records} records in {out / 'sample.jsonl'})",
        markup=False,
    )
