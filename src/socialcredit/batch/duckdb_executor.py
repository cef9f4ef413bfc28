"""Run a plan with DuckDB, one partition at a time, in bounded memory.

For each partition: a temporary table ``raw_records`` read once from its Parquet files (the
``validated`` step and the quarantine both read it), every step materialised as a temporary
table, every output written with ``COPY ... TO`` as ``out/<table>/part-<partition>.parquet``,
the rejected rows to ``out/quarantine/``. A run that fails (an invalid row without
``skip_invalid``, found in a later partition) removes the files it had written, so that no
partial output is mistaken for a result. Memory is capped by DuckDB's ``memory_limit`` (it
spills to a temporary directory) and by the size of one partition, not of the population.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import duckdb

from socialcredit.batch.options import BatchOptions, DebugSink, Progress
from socialcredit.batch.partitions import Partition
from socialcredit.batch.plan import Plan
from socialcredit.batch.rejections import REJECTED_SQL, rejected_error, row_problems
from socialcredit.batch.schema import FileSchema, typed_columns
from socialcredit.batch.summary import COUNTS_SQL, GROUP_QUERIES, Summary


def reader_sql(files: Sequence[Path], present: set[str]) -> str:
    """The ``raw_records`` query: every record column, typed, plus ``src_file``/``src_row``."""
    listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in files)
    return (
        f"SELECT {typed_columns(present)}, filename AS src_file, file_row_number AS src_row "
        f"FROM read_parquet([{listed}], filename = true, file_row_number = true, "
        "union_by_name = true)"
    )


def connect(options: BatchOptions, plan: Plan) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{options.memory_limit}'")
    con.execute(f"SET threads = {int(options.threads)}")
    con.execute("SET preserve_insertion_order = false")
    for name, table in plan.constants.items():
        con.register(f"{name}_arrow", table)
        con.execute(f"CREATE TEMP TABLE {name} AS SELECT * FROM {name}_arrow")
    return con


def _copy(con: duckdb.DuckDBPyConnection, sql: str, path: Path, written: list[Path]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    target = str(path).replace("'", "''")
    written.append(path)
    con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet, COMPRESSION zstd)")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


class DuckDBExecutor:
    def __init__(self, plan: Plan, options: BatchOptions, schemas: dict[str, FileSchema]) -> None:
        self.plan = plan
        self.options = options
        self.schemas = schemas
        self.con = connect(options, plan)
        self.written: list[Path] = []

    def run_partition(
        self, partition: Partition, summary: Summary, debug: DebugSink | None = None
    ) -> None:
        con, plan, options = self.con, self.plan, self.options
        present = set().union(*(self.schemas[str(f)].columns for f in partition.files))
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE raw_records AS {reader_sql(partition.files, present)}"
        )
        for step in plan.steps:
            started = time.perf_counter()
            con.execute(f"CREATE OR REPLACE TEMP TABLE {step.name} AS {step.sql}")
            if debug is not None:
                took = time.perf_counter() - started
                count = _scalar(con, f"SELECT COUNT(*) FROM {step.name}")
                debug(partition.name, step.name, count, took)
        counts = con.execute(COUNTS_SQL).fetchall()[0]
        rows_in, rejected = int(counts[0]), int(counts[1])
        if rejected and not options.skip_invalid:
            rows = con.execute(REJECTED_SQL.format(limit=options.max_errors)).fetchall()
            problems = row_problems(rows, self.schemas)
            raise rejected_error(rejected, rows_in, problems)
        for output in plan.outputs:
            path = options.out / output.name / f"part-{partition.name}.parquet"
            _copy(con, output.sql, path, self.written)
        if rejected:
            path = options.out / "quarantine" / f"part-{partition.name}.parquet"
            _copy(con, plan.quarantine, path, self.written)
        summary.add_counts(counts)
        for name, sql in GROUP_QUERIES.items():
            summary.add_groups(name, con.execute(sql).fetchall())

    def discard(self) -> None:
        """Remove every file this run wrote (a failed run leaves no partial output)."""
        for path in self.written:
            path.unlink(missing_ok=True)
        self.written.clear()

    def close(self) -> None:
        self.con.close()


def run_duckdb(
    plan: Plan,
    partitions: Sequence[Partition],
    options: BatchOptions,
    schemas: dict[str, FileSchema],
    progress: Progress | None = None,
    debug: DebugSink | None = None,
) -> Summary:
    summary = Summary()
    executor = DuckDBExecutor(plan, options, schemas)
    try:
        for done, partition in enumerate(partitions, start=1):
            executor.run_partition(partition, summary, debug)
            if progress is not None:
                progress(done, len(partitions))
    except BaseException:
        executor.discard()
        raise
    finally:
        executor.close()
    return summary
