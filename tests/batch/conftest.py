"""Helpers of the batch tests: records to Parquet, the batch scorer and the engine side by side."""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from socialcredit.batch.linkinput import LINK_SCHEMA, link_rows
from socialcredit.batch.options import BatchOptions
from socialcredit.batch.run import assess_dataset
from socialcredit.engine import Record, assess
from socialcredit.engine.links import Link
from socialcredit.policy import PolicySet
from socialcredit.sim.records import RECORD_SCHEMA
from tests.batch.projection import Projection, batch_projections, engine_projection


def record_rows(records: Iterable[Record]) -> list[dict[str, Any]]:
    rows = []
    for record in records:
        row = asdict(record)
        row.pop("subject_kind")
        row["amount"] = None if record.amount is None else float(record.amount)
        row["dispute_outcome"] = (
            None if record.dispute_outcome is None else str(record.dispute_outcome)
        )
        row["notice"] = None if record.notice is None else str(record.notice)
        rows.append(row)
    return rows


def write_records(records: Iterable[Record], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(record_rows(records), RECORD_SCHEMA), path)


def write_links(links: Iterable[Link], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(link_rows(list(links)), LINK_SCHEMA), path)


def batch_run(
    policies: PolicySet, records: list[Record], as_of: date, links: list[Link] | None = None
) -> dict[str, Projection]:
    """The batch scorer's projections; with ``links``, records are split in two partitions
    (persons and organisations apart), so that links cross partitions."""
    with tempfile.TemporaryDirectory() as tmp:
        source, out = Path(tmp) / "records", Path(tmp) / "out"
        linked = None
        if links is None:
            write_records(records, source / "part-0.parquet")
        else:
            for kind in ("person", "organisation"):
                own = [r for r in records if r.subject_kind == kind]
                write_records(own, source / f"bucket={kind}" / "part-0.parquet")
            linked = Path(tmp) / "links"
            write_links(links, linked / "links.parquet")
        assess_dataset(policies, BatchOptions(source, out, as_of, links=linked))
        return batch_projections(out)


def engine_run(
    policies: PolicySet, records: list[Record], as_of: date, links: list[Link] | None = None
) -> dict[str, Projection]:
    subjects = sorted({r.subject for r in records} | {k.person for k in links or ()})
    return {
        s: engine_projection(assess(policies, records, s, as_of, links=links or ()))
        for s in subjects
    }


def assert_equal(expected: dict[str, Projection], actual: dict[str, Projection]) -> None:
    assert sorted(actual) == sorted(expected)
    for subject, projection in expected.items():
        for key, value in projection.items():
            assert actual[subject][key] == value, f"{subject} {key}"


@pytest.fixture
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield Path(tmp)
