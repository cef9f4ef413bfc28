"""Rows filed under an old organisation code in the batch scorer: assessed under the one credit
code of the whole dataset that embeds the code, as the engine files them; refused when none or
several embed it, and (DuckDB, one partition at a time) when the credit code's records are in
another partition. Spark, which reads the dataset at once, agrees on one partition."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from socialcredit.batch.options import BatchOptions
from socialcredit.batch.orgcodesql import REASONS
from socialcredit.batch.run import assess_dataset
from socialcredit.policy import PolicySet
from tests.batch.badrows import GOOD, write_rows
from tests.batch.test_identifier_kinds import SCHEMA

DAY = date(2025, 6, 1)
BUCKET0 = [
    ("a1", "91350100600037341P", None),
    ("a2", "60003734-1", None),  # its credit code is in the same partition
    ("a3", "MA0001KX-7", "organisation-code"),  # its credit code is in bucket 1
    ("a4", "913501005566778857", "unified-social-credit-code"),
    ("a5", "87654321-0", None),  # no credit code embeds it
    ("a6", "91440300123456788M", None),
]
BUCKET1 = [
    ("b1", "91350100MA0001KX7B", None),
    ("b2", "914403005566778854", "unified-social-credit-code"),
    ("b3", "55667788-5", None),  # embedded in a4's and b2's credit codes: ambiguous
    ("b4", " 1234 5678-8 ", None),  # a6's code, written with spaces: a6 is in bucket 0
]


def _rows(cases: list[tuple[str, str, str | None]]) -> list[dict[str, Any]]:
    return [
        {**GOOD, "id": i, "subject": subject, "identifier_kind": kind} for i, subject, kind in cases
    ]


def _outcome(out: Path) -> tuple[dict[str, str], dict[str, str]]:
    kept = {r["record"]: r["subject"] for r in pq.read_table(out / "records").to_pylist()}
    refused = {r["id"]: r["reasons"] for r in pq.read_table(out / "quarantine").to_pylist()}
    return kept, refused


def test_duckdb_resolves_codes_over_the_whole_dataset(lab_policy: PolicySet, workdir: Path) -> None:
    write_rows(_rows(BUCKET0), workdir / "in" / "bucket=0" / "part-0.parquet", SCHEMA)
    write_rows(_rows(BUCKET1), workdir / "in" / "bucket=1" / "part-0.parquet", SCHEMA)
    assess_dataset(lab_policy, BatchOptions(workdir / "in", workdir / "out", DAY, True))
    kept, refused = _outcome(workdir / "out")
    assert kept["a2"] == "91350100600037341P"
    assert refused == {
        "a3": REASONS["elsewhere"],
        "a5": REASONS["unmatched"],
        "b3": REASONS["ambiguous"],
        "b4": REASONS["elsewhere"],
    }
    assert "600037341" not in kept.values()


def test_one_partition_resolves_what_it_holds(lab_policy: PolicySet, workdir: Path) -> None:
    write_rows(_rows(BUCKET0 + BUCKET1), workdir / "in" / "part-0.parquet", SCHEMA)
    assess_dataset(lab_policy, BatchOptions(workdir / "in", workdir / "out", DAY, True))
    kept, refused = _outcome(workdir / "out")
    assert (kept["a2"], kept["a3"]) == ("91350100600037341P", "91350100MA0001KX7B")
    assert kept["b4"] == "91440300123456788M"
    assert refused == {"a5": REASONS["unmatched"], "b3": REASONS["ambiguous"]}


@pytest.mark.spark
@pytest.mark.slow
def test_spark_resolves_as_duckdb(lab_policy: PolicySet, workdir: Path) -> None:
    spark_executor = pytest.importorskip("socialcredit.batch.spark_executor")
    write_rows(_rows(BUCKET0 + BUCKET1), workdir / "in" / "part-0.parquet", SCHEMA)
    assess_dataset(lab_policy, BatchOptions(workdir / "in", workdir / "duck", DAY, True))
    session = spark_executor.local_session("local[2]")
    try:
        options = BatchOptions(workdir / "in", workdir / "spark", DAY, True)
        spark_executor.assess_dataset_spark(lab_policy, options, spark=session)
    finally:
        session.stop()
    assert _outcome(workdir / "spark") == _outcome(workdir / "duck")
