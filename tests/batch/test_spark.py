"""The Spark executor (local mode) gives the same tables as DuckDB and as the engine.

One Spark session for the test session (local[2], two shuffle partitions, no UI). Skipped when
pyspark (the optional extra ``socialcredit[spark]``) is not installed. Invalid rows: the same
quarantine as DuckDB (plain paths, not Spark's URIs), and errors that name the file by path.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from socialcredit.batch.options import BatchOptions
from socialcredit.batch.run import assess_dataset
from socialcredit.engine import Record
from socialcredit.engine.links import Link, LinkSource
from socialcredit.errors import DatasetError
from socialcredit.ingest import read_records
from socialcredit.policy import PolicySet, load_policies
from socialcredit.sim import SynthOptions, synthesise
from tests.batch.badrows import bad_rows, write_rows
from tests.batch.conftest import assert_equal, engine_run, write_links, write_records
from tests.batch.projection import batch_projections
from tests.conftest import ROOT
from tests.strategies import LINKED_ONLY, MINOR, ORGANISATION, PERSON, TURNING_ADULT

pytestmark = [pytest.mark.spark, pytest.mark.slow]

spark_executor = pytest.importorskip("socialcredit.batch.spark_executor")


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    session = spark_executor.local_session("local[2]")
    session.conf.set("spark.sql.shuffle.partitions", "2")
    yield session
    session.stop()


def _court(record_id: str, subject: str, item: str, decided: date) -> Record:
    return Record(
        record_id, subject, "person", item, decided, "The enforcing people's court", record_id
    )


MINORS = [
    _court("m1", MINOR, "SPC-REFUSE", date(2024, 5, 2)),
    _court("m2", TURNING_ADULT, "SPC-REFUSE", date(2022, 2, 28)),  # still a minor
    _court("m3", TURNING_ADULT, "SPC-REFUSE", date(2022, 3, 1)),  # an adult from that day
]
"""Records of a child and of a person turning 18 (principle 13), added to the population."""


def test_spark_equals_duckdb_and_engine(spark: Any, workdir: Path) -> None:
    policies = load_policies([ROOT / "policies" / "examples"])
    synthesise(policies, SynthOptions(150, 30, date(2021, 1, 1), 48, 11, workdir, buckets=2))
    write_records(MINORS, workdir / "records" / "bucket=minors" / "part-0.parquet")
    day = date(2024, 7, 1)
    spark_out, duck_out = workdir / "spark", workdir / "duck"
    options = BatchOptions(workdir / "records", spark_out, day)
    summary = spark_executor.assess_dataset_spark(policies, options, spark=spark)
    assess_dataset(policies, BatchOptions(workdir / "records", duck_out, day))
    from_spark = batch_projections(spark_out)
    assert from_spark == batch_projections(duck_out)
    assert summary.subjects == len(from_spark)
    sample = read_records(workdir / "sample.jsonl", policies).records
    expected = engine_run(policies, [*sample, *MINORS], day)
    assert_equal(expected, {s: from_spark[s] for s in expected})
    assert from_spark[MINOR]["protected"] == ["m1"] and from_spark[MINOR]["lists"] == {}
    assert from_spark[TURNING_ADULT]["protected"] == ["m2"]
    assert [m[3] for m in from_spark[TURNING_ADULT]["lists"].values()] == [("m3",)]


def _quarantine(directory: Path) -> list[dict[str, Any]]:
    return sorted(pq.read_table(directory / "quarantine").to_pylist(), key=lambda r: r["src_row"])


def test_spark_quarantines_like_duckdb(spark: Any, lab_policy: PolicySet, workdir: Path) -> None:
    path = write_rows(bad_rows(), workdir / "in" / "part-0.parquet")
    day = date(2025, 6, 1)
    options = BatchOptions(workdir / "in", workdir / "spark", day, skip_invalid=True)
    summary = spark_executor.assess_dataset_spark(lab_policy, options, spark=spark)
    assert (summary.rows_in, summary.valid, summary.rejected) == (6, 1, 5)
    assess_dataset(lab_policy, BatchOptions(workdir / "in", workdir / "duck", day, True))
    rows = _quarantine(workdir / "spark")
    assert rows == _quarantine(workdir / "duck")
    assert [(r["id"], r["src_row"]) for r in rows] == [
        ("r2", 1),
        ("r3", 2),
        ("r4", 3),
        ("r5", 4),
        ("r1", 5),
    ]
    assert {r["src_file"] for r in rows} == {str(path)}  # a plain path, as DuckDB writes it
    reasons = {r["src_row"]: r["reasons"] for r in rows}
    assert reasons[2] == "item: item is not in the catalogue"
    assert reasons[5] == "id: the record id is already used in this partition"
    assert "reference: a negative record needs" in reasons[4]
    assert "resolved_on: resolved_on is before decided_on" in reasons[4]


def test_spark_names_invalid_rows_by_path(spark: Any, lab_policy: PolicySet, workdir: Path) -> None:
    path = write_rows(bad_rows(), workdir / "in" / "part 0.parquet")  # a space: %20 in its URI
    options = BatchOptions(workdir / "in", workdir / "out", date(2025, 6, 1))
    with pytest.raises(DatasetError) as caught:
        spark_executor.assess_dataset_spark(lab_policy, options, spark=spark)
    text = str(caught.value)
    assert "5 of 6 record row(s) are invalid" in text
    assert f"{path} (row group 1, row 2): [column item] item is not in the catalogue" in text
    assert f"{path} (row group 2, row 5): [column id]" in text


def _link(link_id: str, person: str, role: str, **dates: date) -> Link:
    return Link(
        link_id,
        ORGANISATION,
        person,
        role,
        date(2020, 1, 1),
        LinkSource.REGISTRATION,
        "Market regulator",
        f"REG-{link_id}",
        **dates,  # type: ignore[arg-type]
    )


LINKS = [
    _link("k1", PERSON, "legal_representative"),
    _link("k2", MINOR, "legal_representative"),
    _link("k3", LINKED_ONLY, "actual_controller", disputed_on=date(2025, 5, 1)),
    _link("k4", LINKED_ONLY, "main_responsible_person", valid_to=date(2025, 3, 1)),
    _link("k5", TURNING_ADULT, "directly_responsible_person", disputed_on=date(2025, 5, 25)),
]
"""A listed company's links: holding, a child's, overdue objection, ended, pending objection."""


def test_spark_equals_duckdb_and_engine_with_links(
    spark: Any, court_policy: PolicySet, workdir: Path
) -> None:
    records = [
        Record("o1", ORGANISATION, "organisation", "SPC-REFUSE", date(2025, 1, 2), "Court", "Z1"),
        _court("p1", PERSON, "SPC-EVADE", date(2024, 11, 2)),
    ]
    write_records(records[:1], workdir / "records" / "bucket=organisations" / "part-0.parquet")
    write_records(records[1:], workdir / "records" / "bucket=persons" / "part-0.parquet")
    write_links(LINKS, workdir / "links" / "links.parquet")
    day = date(2025, 6, 1)
    spark_out, duck_out = workdir / "spark", workdir / "duck"
    options = BatchOptions(workdir / "records", spark_out, day, links=workdir / "links")
    spark_executor.assess_dataset_spark(court_policy, options, spark=spark)
    assess_dataset(court_policy, replace(options, out=duck_out))
    from_spark = batch_projections(spark_out)
    assert from_spark == batch_projections(duck_out)
    assert_equal(engine_run(court_policy, records, day, LINKS), from_spark)
    assert set(from_spark[PERSON]["reaches"]) == {("k1", "dishonest-judgment-defaulters")}
    assert from_spark[LINKED_ONLY]["links"]["k3"][2] == "suspended"
    assert from_spark[TURNING_ADULT]["decisions"]["flight-booking"][0] == "deny"
    assert from_spark[MINOR]["decisions"] == {}
