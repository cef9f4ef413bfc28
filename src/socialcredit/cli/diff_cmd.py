"""``socialcredit policy diff``: whom a policy change moves, before it is imposed on anyone."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from socialcredit.batch.impact import ImpactOptions, ImpactResult, figures, policy_impact
from socialcredit.cli.batch_options import AsOfOpt, MemoryLimitOpt, RecordsOpt
from socialcredit.cli.output import reported_errors, stdout
from socialcredit.cli.progress import fraction_bar
from socialcredit.policy import PolicySet, load_policies


def _summary(result: ImpactResult, old: PolicySet, new: PolicySet) -> Table:
    table = Table(title="What the new policies change", title_justify="left")
    table.add_column("what")
    table.add_column("subjects", justify="right")
    tables = result.tables
    for m in figures.matrices(tables["grade_transitions"], old, new):
        table.add_row(f"grade changes: {m.model}", f"{m.changed:,} of {m.total:,}")
    for f in figures.list_flows(tables["list_changes"]):
        table.add_row(f"list {f.list}: entered / exited", f"{f.entered:,} / {f.exited:,}")
    for s in figures.decision_shifts(tables["decision_changes"]):
        table.add_row(f"{s.service}: {s.old_effect} -> {s.new_effect}", f"{s.subjects:,}")
    return table


def diff_command(  # noqa: PLR0913, PLR0917 - one parameter per command-line option
    old: Annotated[
        list[Path], typer.Option("--old", help="Policy file or directory in force; repeatable.")
    ],
    new: Annotated[
        list[Path], typer.Option("--new", help="Policy file or directory proposed; repeatable.")
    ],
    records: RecordsOpt,
    as_of: AsOfOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="New output directory.")],
    subjects: Annotated[
        Path | None,
        typer.Option(
            "--subjects",
            help="Subject attributes (region or province, sector) as Parquet; default: "
            "subjects/ beside the records directory, if there is one.",
        ),
    ] = None,
    memory_limit: MemoryLimitOpt = "3GB",
) -> None:
    """Report what a policy change does to a population: grades, lists, decisions."""
    with reported_errors():
        old_policies, new_policies = load_policies(old), load_policies(new)
        options = ImpactOptions(records, as_of.date(), out, subjects, memory_limit)
        with fraction_bar("partitions") as bar:
            result = policy_impact(old_policies, new_policies, options, bar.update, bar.stage)
    console = stdout()
    console.print(_summary(result, old_policies, new_policies))
    console.print(f"report: {result.report} (tables as CSV and charts beside it)", markup=False)
