"""``assess_dataset``: check a records directory, compile the plan, run it, summarise.

The one entry point of the batch layer for the command line and the tests. Schema problems of
every file are reported together before any work starts; rejected rows either stop the run
(naming file, row group, row and column) or, with ``skip_invalid``, go to ``quarantine/``.
"""

from __future__ import annotations

from socialcredit.batch.compiler import compile_plan
from socialcredit.batch.dialect import DUCKDB
from socialcredit.batch.duckdb_executor import Run, run_duckdb
from socialcredit.batch.linkinput import read_link_table
from socialcredit.batch.options import BatchOptions, DebugSink, Progress
from socialcredit.batch.partitions import Partition, discover
from socialcredit.batch.schema import FileSchema, inspect_files
from socialcredit.batch.summary import Summary
from socialcredit.errors import DatasetError
from socialcredit.policy import PolicySet


def checked_input(options: BatchOptions) -> tuple[list[Partition], dict[str, FileSchema]]:
    partitions = discover(options.records)
    files = [f for p in partitions for f in p.files]
    schemas, problems = inspect_files(files)
    if problems:
        raise DatasetError(f"{len(problems)} problem(s) in the records' Parquet schema", problems)
    return partitions, {str(s.path): s for s in schemas}


def assess_dataset(
    policies: PolicySet,
    options: BatchOptions,
    progress: Progress | None = None,
    debug: DebugSink | None = None,
) -> Summary:
    """Assess every subject of ``options.records`` with DuckDB (and the persons reached through
    ``options.links``); write the outputs."""
    partitions, schemas = checked_input(options)
    links = None
    if options.links is not None:
        links = read_link_table(options.links, options.skip_invalid, options.max_errors)
    plan = compile_plan(policies, options.as_of, DUCKDB, links is not None)
    return run_duckdb(Run(plan, partitions, schemas, links), options, progress, debug)
