"""Run a plan with DuckDB, one partition at a time, in bounded memory.

For each partition: a view ``raw_records`` over its Parquet files (``validated`` reads each
column it needs straight from the files, which costs less than copying every row into a table
first; the quarantine reads the files again only when rows were rejected), each file numbered
(``src_file``) with ``source_files`` mapping the numbers back to paths for the messages and the
quarantine; every step materialised as a temporary table, or defined as a view when it is read
once (``Step.materialise``); every output written with ``COPY ... TO`` as
``out/<table>/part-<partition>.parquet``, the rejected rows to ``out/quarantine/``. A run that
fails (an invalid row without ``skip_invalid``, found in a later partition) removes the files
it had written, so that no partial output is mistaken for a result. Memory is capped by
DuckDB's ``memory_limit`` (it spills to a temporary directory) and by the size of one
partition, not of the population.

With links, the run has two passes: the first runs ``Plan.first_pass`` on every partition and
appends the organisations' memberships and next changes (``org_lists``, ``org_next``) and the
linked persons who have records (``link_seen``) to tables kept for the run; the second is the
usual pass, whose link steps read them. The linked persons without any record are assessed
last, in a partition of their own named ``linked`` (no records, only their links).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from socialcredit.batch.options import BatchError, BatchOptions, DebugSink, Progress
from socialcredit.batch.partitions import Partition
from socialcredit.batch.plan import Plan, Step
from socialcredit.batch.rejections import REJECTED_SQL, rejected_error, row_problems
from socialcredit.batch.schema import FileSchema, typed_columns
from socialcredit.batch.summary import COUNTS_SQL, GROUP_QUERIES, Summary

PARQUET_OPTIONS = "COMPRESSION zstd, COMPRESSION_LEVEL 1"
"""zstd at level 1: on the outputs a fifth less CPU than DuckDB's default level, and files
no larger (docs/benchmarks.md)."""


def source_files(files: Sequence[Path]) -> list[str]:
    """The paths of a partition's files in the order of their ``src_file`` number (text
    order, the order in which a reused record id's first occurrence is found)."""
    return sorted(str(f) for f in files)


def reader_sql(paths: Sequence[str], present: set[str]) -> str:
    """The ``raw_records`` query: every record column, typed, plus ``src_file`` (the file's
    number in ``paths``: computed once per chunk of rows, the file name being constant in it)
    and ``src_row``."""
    listed = "[" + ", ".join(f"'{_quoted(path)}'" for path in paths) + "]"
    return (
        f"SELECT {typed_columns(present)}, list_position({listed}, filename) - 1 AS src_file, "
        f"file_row_number AS src_row FROM read_parquet({listed}, filename = true, "
        "file_row_number = true, union_by_name = true)"
    )


def _quoted(text: str) -> str:
    return text.replace("'", "''")


LINK_TABLES = (
    "CREATE TEMP TABLE org_lists (organisation VARCHAR, list_id VARCHAR, list_kind VARCHAR, "
    "since DATE, until DATE)",
    "CREATE TEMP TABLE org_list_records (organisation VARCHAR, list_id VARCHAR, record VARCHAR)",
    "CREATE TEMP TABLE org_next (organisation VARCHAR, next_change DATE)",
    "CREATE TEMP TABLE link_seen (subject VARCHAR)",
    "CREATE TEMP TABLE link_orphans (person VARCHAR)",
)
"""The tables a run with links keeps across partitions (filled by the first pass; the orphans
only before the last partition)."""
ORPHANS = "linked"
"""The name of the partition of the linked persons without records."""


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
    written.append(path)
    con.execute(f"COPY ({sql}) TO '{_quoted(str(path))}' (FORMAT parquet, {PARQUET_OPTIONS})")


def _scalar(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    row = con.execute(sql).fetchone()
    return int(row[0]) if row else 0


class DuckDBExecutor:
    def __init__(
        self,
        plan: Plan,
        options: BatchOptions,
        schemas: dict[str, FileSchema],
        links: pa.Table | None = None,
    ) -> None:
        self.plan = plan
        self.options = options
        self.schemas = schemas
        self.con = connect(options, plan)
        self.written: list[Path] = []
        if plan.links:
            if links is None:
                raise BatchError("the plan reads links, but none were given")
            self.con.register("links_arrow", links)
            self.con.execute("CREATE TEMP TABLE links AS SELECT * FROM links_arrow")
            for ddl in LINK_TABLES:
                self.con.execute(ddl)

    def _open(self, partition: Partition) -> None:
        """``source_files`` and the ``raw_records`` view of the partition's files."""
        con = self.con
        paths = source_files(partition.files)
        present = set().union(*(self.schemas[path].columns for path in paths))
        files = pa.table({"src_file": range(len(paths)), "path": paths})
        con.register("source_files_arrow", files)
        con.execute("CREATE OR REPLACE TEMP TABLE source_files AS FROM source_files_arrow")
        con.execute(f"CREATE OR REPLACE TEMP VIEW raw_records AS {reader_sql(paths, present)}")

    def _steps(self, name: str, steps: tuple[Step, ...], debug: DebugSink | None) -> None:
        con = self.con
        for step in steps:
            started = time.perf_counter()
            kind = "TABLE" if step.materialise else "VIEW"
            con.execute(f"CREATE OR REPLACE TEMP {kind} {step.name} AS {step.sql}")
            if debug is not None:
                took = time.perf_counter() - started
                count = _scalar(con, f"SELECT COUNT(*) FROM {step.name}")
                debug(name, step.name, count, took)

    def run_first(self, partition: Partition, debug: DebugSink | None = None) -> None:
        """The first pass over one partition: append the organisations' memberships."""
        self._open(partition)
        self._steps(f"{partition.name} (organisations)", self.plan.first_pass, debug)
        for output in self.plan.first_outputs:
            self.con.execute(f"INSERT INTO {output.name} {output.sql}")

    def orphan_partition(self) -> bool:
        """Make the linked persons without a record the next partition's subjects (an empty
        ``raw_records``); whether there are any."""
        con = self.con
        con.execute(
            "INSERT INTO link_orphans SELECT DISTINCT person FROM links "
            "WHERE person NOT IN (SELECT subject FROM link_seen)"
        )
        con.execute("CREATE OR REPLACE TEMP TABLE source_files (src_file BIGINT, path VARCHAR)")
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW raw_records AS SELECT {typed_columns(set())}, "
            "CAST(NULL AS BIGINT) AS src_file, CAST(NULL AS BIGINT) AS src_row WHERE FALSE"
        )
        return _scalar(con, "SELECT COUNT(*) FROM link_orphans") > 0

    def run_partition(
        self, partition: Partition, summary: Summary, debug: DebugSink | None = None
    ) -> None:
        self._open(partition)
        self.assess(partition.name, summary, debug)

    def assess(self, name: str, summary: Summary, debug: DebugSink | None = None) -> None:
        """Run the steps on the open partition and write its outputs."""
        con, plan, options = self.con, self.plan, self.options
        self._steps(name, plan.steps, debug)
        counts = con.execute(COUNTS_SQL).fetchall()[0]
        rows_in, rejected = int(counts[0]), int(counts[1])
        if rejected and not options.skip_invalid:
            rows = con.execute(REJECTED_SQL.format(limit=options.max_errors)).fetchall()
            problems = row_problems(rows, self.schemas)
            raise rejected_error(rejected, rows_in, problems)
        for output in plan.outputs:
            path = options.out / output.name / f"part-{name}.parquet"
            _copy(con, output.sql, path, self.written)
        if rejected:
            path = options.out / "quarantine" / f"part-{name}.parquet"
            _copy(con, plan.quarantine, path, self.written)
        summary.add_counts(counts)
        for group, sql in GROUP_QUERIES.items():
            summary.add_groups(group, con.execute(sql).fetchall())

    def discard(self) -> None:
        """Remove every file this run wrote (a failed run leaves no partial output)."""
        for path in self.written:
            path.unlink(missing_ok=True)
        self.written.clear()

    def close(self) -> None:
        self.con.close()


@dataclass(frozen=True)
class Run:
    """What a DuckDB run reads: the plan, the partitions with their schemas, the links."""

    plan: Plan
    partitions: Sequence[Partition]
    schemas: dict[str, FileSchema]
    links: pa.Table | None = None


def run_duckdb(
    run: Run,
    options: BatchOptions,
    progress: Progress | None = None,
    debug: DebugSink | None = None,
) -> Summary:
    summary = Summary()
    partitions = run.partitions
    executor = DuckDBExecutor(run.plan, options, run.schemas, run.links)
    try:
        for partition in partitions if run.plan.links else ():
            executor.run_first(partition, debug)
        for done, partition in enumerate(partitions, start=1):
            executor.run_partition(partition, summary, debug)
            if progress is not None:
                progress(done, len(partitions))
        if run.plan.links and executor.orphan_partition():
            executor.assess(ORPHANS, summary, debug)
    except BaseException:
        executor.discard()
        raise
    finally:
        executor.close()
    return summary
