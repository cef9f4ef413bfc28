"""Run the same plan with PySpark (``--engine spark``): the compiler's Spark SQL dialect.

Imported only when the Spark engine is chosen (see ``cli/batch_cmd.py``); pyspark is the
optional extra ``socialcredit[spark]``. Spark partitions the work itself (every window and
aggregate is keyed by subject), so the whole records directory is one job. Each step is
materialised (a local checkpoint, which also cuts the lineage) and registered as a temporary
view before the next one reads it, as DuckDB materialises its steps. In tests and on one
machine: local mode; on a cluster: the same code with a cluster master (docs/scale.md).
With links, the one job also computes the organisations' memberships before the persons'
decisions (``compiler``: steps ``org_lists``, ``org_next``), so no first pass is needed.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlparse

import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F
from pyspark.sql import types as T

from socialcredit.batch.compiler import compile_plan
from socialcredit.batch.dialect import SPARK
from socialcredit.batch.linkinput import read_link_table
from socialcredit.batch.options import BatchOptions, DebugSink, Progress
from socialcredit.batch.plan import Plan
from socialcredit.batch.rejections import REJECTED_SQL, rejected_error, row_problems
from socialcredit.batch.run import checked_input
from socialcredit.batch.schema import typed_columns
from socialcredit.batch.summary import COUNTS_SQL, GROUP_QUERIES, Summary
from socialcredit.policy import PolicySet

LOCAL_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "4",
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.parquet.datetimeRebaseModeInWrite": "CORRECTED",
    "spark.sql.parquet.datetimeRebaseModeInRead": "CORRECTED",
    "spark.driver.memory": "3g",
}
_ARROW_TO_SPARK = {
    pa.string(): T.StringType(),
    pa.bool_(): T.BooleanType(),
    pa.int32(): T.IntegerType(),
    pa.int64(): T.LongType(),
    pa.date32(): T.DateType(),
}


def local_session(master: str = "local[2]") -> SparkSession:
    """A local Spark session (or the active one, e.g. on a cluster via spark-submit)."""
    builder = SparkSession.builder.master(master).appName("socialcredit-batch")
    for key, value in LOCAL_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _constant(spark: SparkSession, table: pa.Table) -> DataFrame:
    schema = T.StructType(
        [T.StructField(f.name, _ARROW_TO_SPARK[f.type], True) for f in table.schema]
    )
    rows = [tuple(row.values()) for row in table.to_pylist()]
    return spark.createDataFrame(rows, schema)


def _reader(spark: SparkSession, files: Sequence[Path], present: set[str]) -> DataFrame:
    frame = spark.read.option("mergeSchema", "true").parquet(*(str(f) for f in files))
    frame.select(
        "*",
        F.col("_metadata.file_path").alias("src_file"),
        F.col("_metadata.row_index").alias("src_row"),
    ).createOrReplaceTempView("raw_input")
    return spark.sql(f"SELECT {typed_columns(present)}, src_file, src_row FROM raw_input")


def _local_path(uri: str) -> str:
    """The local path of a ``_metadata.file_path`` (a ``file:`` URI, percent-encoded)."""
    return str(Path(unquote(urlparse(uri).path))) if uri.startswith("file:") else uri


def _source_files(spark: SparkSession, files: Sequence[Path]) -> DataFrame:
    """``source_files``: each file's ``src_file`` (its ``_metadata.file_path``, a URI) and the
    path it was given as, so that messages and the quarantine name files as DuckDB does."""
    given = {os.path.abspath(f): str(f) for f in files}
    uris = [row[0] for row in spark.sql("SELECT DISTINCT src_file FROM raw_records").collect()]
    rows = [(uri, given.get(os.path.abspath(_local_path(uri)), _local_path(uri))) for uri in uris]
    return spark.createDataFrame(rows, "src_file STRING, path STRING")


def _write(spark: SparkSession, sql: str, path: Path) -> None:
    spark.sql(sql).write.mode("overwrite").parquet(str(path))


def run_plan(  # noqa: PLR0913, PLR0917 - the plan, its inputs and the run's options
    spark: SparkSession,
    plan: Plan,
    files: Sequence[Path],
    present: set[str],
    options: BatchOptions,
    debug: DebugSink | None = None,
    links: pa.Table | None = None,
) -> tuple[Summary, list[DataFrame]]:
    """Register constants and input, persist every step; return the summary and the frames
    to unpersist."""
    for name, table in plan.constants.items():
        _constant(spark, table).createOrReplaceTempView(name)
    if links is not None:
        _constant(spark, links).createOrReplaceTempView("links")
    _reader(spark, files, present).createOrReplaceTempView("raw_records")
    _source_files(spark, files).createOrReplaceTempView("source_files")
    persisted = []
    for step in plan.steps:
        started = time.perf_counter()
        # A local checkpoint materialises the step and cuts its lineage: without it every
        # later step re-analyses the whole chain, and planning time grows with each step.
        frame = spark.sql(step.sql).localCheckpoint(eager=True)
        frame.createOrReplaceTempView(step.name)
        persisted.append(frame)
        if debug is not None:
            debug("all", step.name, frame.count(), time.perf_counter() - started)
    summary = Summary()
    summary.add_counts(tuple(spark.sql(COUNTS_SQL).collect()[0]))
    for name, sql in GROUP_QUERIES.items():
        summary.add_groups(name, [tuple(r) for r in spark.sql(sql).collect()])
    return summary, persisted


def assess_dataset_spark(
    policies: PolicySet,
    options: BatchOptions,
    progress: Progress | None = None,
    debug: DebugSink | None = None,
    spark: SparkSession | None = None,
) -> Summary:
    """Assess every subject of ``options.records`` with Spark; write the outputs."""
    partitions, schemas = checked_input(options)
    files = [f for p in partitions for f in p.files]
    present = set().union(*(schemas[str(f)].columns for f in files))
    session = spark or local_session()
    links = None
    if options.links is not None:
        links = read_link_table(options.links, options.skip_invalid, options.max_errors)
    plan = compile_plan(policies, options.as_of, SPARK, links is not None)
    summary, persisted = run_plan(session, plan, files, present, options, debug, links)
    try:
        if summary.rejected and not options.skip_invalid:
            rows = session.sql(REJECTED_SQL.format(limit=options.max_errors)).collect()
            problems = row_problems([(p, row, reasons) for p, row, reasons in rows], schemas)
            raise rejected_error(summary.rejected, summary.rows_in, problems)
        for output in plan.outputs:
            _write(session, output.sql, options.out / output.name)
        if summary.rejected:
            _write(session, plan.quarantine, options.out / "quarantine")
    finally:
        for frame in persisted:
            frame.unpersist()
    if progress is not None:
        progress(1, 1)
    return summary
