"""Input hygiene (``engine.hygiene``) is one rule: the engine's validation, the DuckDB scorer
and the Spark scorer refuse the same rows (control characters, over-long text, dates outside
the window that term arithmetic can reach)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from socialcredit.batch.options import BatchOptions
from socialcredit.batch.run import assess_dataset
from socialcredit.engine import validate_record
from socialcredit.policy import PolicySet
from tests.batch.badrows import GOOD, write_rows

DAY = date(2025, 6, 1)


def hygiene_rows() -> list[dict[str, Any]]:
    """r1 clean (with Chinese text, which is fine); the rest each break one rule."""
    return [
        {**GOOD, "reference": "（2024）京0105执1234号"},
        {**GOOD, "id": "r2", "reference": "REF\x00-2"},
        {**GOOD, "id": "r3", "authority": "Court\u2028of appeal"},
        {**GOOD, "id": "r4", "reference": "x" * 301},
        {**GOOD, "id": "r5" + "9" * 199},
        {**GOOD, "id": "r6", "decided_on": date(9999, 12, 31)},
        {**GOOD, "id": "r7", "notified_on": date(2200, 1, 1)},
        {**GOOD, "id": "r8", "decided_on": date(1899, 12, 31)},
    ]


def _engine_refused(policy: PolicySet) -> list[str]:
    refused = []
    for row in hygiene_rows():
        raw = {k: v.isoformat() if isinstance(v, date) else v for k, v in row.items()}
        if validate_record(raw, policy).reasons:
            refused.append(str(row["id"])[:2])
    return refused


def _quarantined(directory: Path) -> list[str]:
    rows = pq.read_table(directory / "quarantine").to_pylist()
    return sorted(str(r["id"])[:2] for r in rows)


EXPECTED = ["r2", "r3", "r4", "r5", "r6", "r7", "r8"]


def test_engine_and_duckdb_refuse_the_same_rows(lab_policy: PolicySet, workdir: Path) -> None:
    assert _engine_refused(lab_policy) == EXPECTED
    write_rows(hygiene_rows(), workdir / "in" / "part-0.parquet")
    options = BatchOptions(workdir / "in", workdir / "out", DAY, skip_invalid=True)
    summary = assess_dataset(lab_policy, options)
    assert (summary.rows_in, summary.valid, summary.rejected) == (8, 1, 7)
    assert _quarantined(workdir / "out") == EXPECTED


def test_engine_names_the_rule(lab_policy: PolicySet) -> None:
    reasons = validate_record(
        {**GOOD, "decided_on": "9999-12-31", "reference": "a\x00"}, lab_policy
    )
    text = "; ".join(reasons.reasons)
    assert "outside 1900-01-01 to 2199-12-31" in text
    assert "reference contains a control character (U+0000)" in text


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    executor = pytest.importorskip("socialcredit.batch.spark_executor")
    session = executor.local_session("local[2]")
    session.conf.set("spark.sql.shuffle.partitions", "2")
    yield session


def test_spark_refuses_the_same_rows(spark: Any, lab_policy: PolicySet, workdir: Path) -> None:
    executor = pytest.importorskip("socialcredit.batch.spark_executor")
    write_rows(hygiene_rows(), workdir / "in" / "part-0.parquet")
    options = BatchOptions(workdir / "in", workdir / "spark", DAY, skip_invalid=True)
    summary = executor.assess_dataset_spark(lab_policy, options, spark=spark)
    assert (summary.rows_in, summary.valid, summary.rejected) == (8, 1, 7)
    assert _quarantined(workdir / "spark") == EXPECTED
