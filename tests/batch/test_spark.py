"""The Spark executor (local mode) gives the same tables as DuckDB and as the engine.

One Spark session for the test session (local[2], two shuffle partitions, no UI). Skipped when
pyspark (the optional extra ``socialcredit[spark]``) is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from socialcredit.batch.options import BatchOptions
from socialcredit.batch.run import assess_dataset
from socialcredit.ingest import read_records
from socialcredit.policy import load_policies
from socialcredit.sim import SynthOptions, synthesise
from tests.batch.conftest import assert_equal, engine_run
from tests.batch.projection import batch_projections
from tests.conftest import ROOT

spark_executor = pytest.importorskip("socialcredit.batch.spark_executor")


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    session = spark_executor.local_session("local[2]")
    session.conf.set("spark.sql.shuffle.partitions", "2")
    yield session
    session.stop()


def test_spark_equals_duckdb_and_engine(spark: Any, workdir: Path) -> None:
    policies = load_policies([ROOT / "policies" / "examples"])
    synthesise(policies, SynthOptions(150, 30, date(2021, 1, 1), 48, 11, workdir, buckets=2))
    day = date(2024, 7, 1)
    spark_out, duck_out = workdir / "spark", workdir / "duck"
    options = BatchOptions(workdir / "records", spark_out, day)
    summary = spark_executor.assess_dataset_spark(policies, options, spark=spark)
    assess_dataset(policies, BatchOptions(workdir / "records", duck_out, day))
    from_spark = batch_projections(spark_out)
    assert from_spark == batch_projections(duck_out)
    assert summary.subjects == len(from_spark)
    sample = read_records(workdir / "sample.jsonl", policies).records
    expected = engine_run(policies, sample, day)
    assert_equal(expected, {s: from_spark[s] for s in expected})
