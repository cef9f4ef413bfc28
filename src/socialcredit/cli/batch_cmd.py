"""``socialcredit batch assess``: assess a population from Parquet, columnar, in partitions.

The Spark executor is imported only when ``--engine spark`` is chosen (pyspark is an optional
extra and slow to import): ``_load_spark`` is the one place that imports it, with importlib.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from socialcredit.batch.options import BatchOptions, DebugSink
from socialcredit.batch.options import Progress as BatchProgress
from socialcredit.batch.run import assess_dataset
from socialcredit.batch.summary import Summary
from socialcredit.cli.batch_options import AsOfOpt, MemoryLimitOpt, RecordsOpt
from socialcredit.cli.output import reported_errors, stderr, stdout
from socialcredit.cli.progress import fraction_bar
from socialcredit.errors import InputError
from socialcredit.policy import PolicySet, load_policies

app = typer.Typer(help="Assess whole populations from Parquet (DuckDB or Spark).")

Runner = Callable[[PolicySet, BatchOptions, BatchProgress, DebugSink | None], Summary]


def _load_spark() -> Runner:
    """Import the Spark executor (and pyspark) only when it is asked for."""
    try:
        module = importlib.import_module("socialcredit.batch.spark_executor")
    except ImportError as exc:
        raise InputError(
            "--engine spark needs pyspark: pip install 'socialcredit[spark]'",
            {"engine": "spark"},
        ) from exc
    runner: Runner = module.assess_dataset_spark
    return runner


def summary_tables(summary: Summary, console: Console) -> None:
    counts = Table(title="Rows", title_justify="left")
    for column in ("in", "assessed", "rejected", "warnings", "subjects", "partitions"):
        counts.add_column(column, justify="right")
    counts.add_row(
        *(
            str(v)
            for v in (
                summary.rows_in,
                summary.valid,
                summary.rejected,
                summary.warnings,
                summary.subjects,
                summary.partitions,
            )
        )
    )
    console.print(counts)
    for title, counter, headers in (
        ("Grades", summary.grades, ("model", "grade")),
        ("List memberships", summary.lists, ("list", "kind")),
        ("Decisions (other services: allow)", summary.decisions, ("service", "effect")),
    ):
        table = Table(title=title, title_justify="left")
        for header in (*headers, "subjects"):
            table.add_column(header, justify="right" if header == "subjects" else "left")
        for (a, b), n in sorted(counter.items()):
            table.add_row(a, b, str(n))
        console.print(table)


def _debug_sink(console: Console) -> DebugSink:
    def sink(partition: str, step: str, rows: int, seconds: float) -> None:
        console.print(f"[{partition}] {step}: {rows} rows in {seconds:.3f} s", markup=False)

    return sink


@app.command("assess")
def assess_command(  # noqa: PLR0913, PLR0917 - one parameter per command-line option
    policy: Annotated[
        list[Path], typer.Option("--policy", "-p", help="Policy file or directory; repeatable.")
    ],
    records: RecordsOpt,
    as_of: AsOfOpt,
    out: Annotated[Path, typer.Option("--out", "-o", help="Output directory.")],
    engine: Annotated[
        str, typer.Option("--engine", help="duckdb (partition by partition) or spark.")
    ] = "duckdb",
    skip_invalid: Annotated[
        bool, typer.Option("--skip-invalid", help="Quarantine invalid rows; assess the rest.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="Print the row count and time of every step.")
    ] = False,
    memory_limit: MemoryLimitOpt = "3GB",
    links: Annotated[
        Path | None,
        typer.Option(
            "--links",
            help="Directory (or file) of link Parquet files: a listed organisation's measures "
            "reach the persons linked to it in a role they name.",
        ),
    ] = None,
) -> None:
    """Assess every subject of a Parquet records directory; write Parquet and print a summary."""
    with reported_errors():
        if engine not in ("duckdb", "spark"):
            raise InputError(f"--engine must be duckdb or spark, not {engine!r}")
        policies = load_policies(policy)
        options = BatchOptions(
            records, out, as_of.date(), skip_invalid, memory_limit=memory_limit, links=links
        )
        runner: Runner = assess_dataset if engine == "duckdb" else _load_spark()
        err = stderr()
        sink = _debug_sink(err) if debug else None
        with fraction_bar("partitions") as bar:
            summary = runner(policies, options, bar.update, sink)
    summary_tables(summary, stdout())
    if summary.rejected:
        stdout().print(
            f"{summary.rejected} rejected row(s) written to {out / 'quarantine'}", markup=False
        )
