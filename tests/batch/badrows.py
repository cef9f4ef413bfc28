"""Rows of a records file with one valid record and five invalid ones, for the bad-input tests
of both executors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from socialcredit.sim.records import RECORD_SCHEMA
from tests.strategies import ORGANISATION, PERSON

GOOD = {
    "id": "r1",
    "subject": PERSON,
    "item": "NEG-JUDGMENT",
    "authority": "Test Court",
    "reference": "REF-1",
    "decided_on": date(2025, 1, 1),
}


def write_rows(
    rows: list[dict[str, object]], path: Path, schema: pa.Schema = RECORD_SCHEMA
) -> Path:
    """``rows`` as a Parquet file of two rows per row group."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema), path, row_group_size=2)
    return path


def bad_rows() -> list[dict[str, object]]:
    """r1 valid; r2 a bad subject, r3 an unknown item, r4 an item not for organisations, r5 no
    reference and resolved before decided, the second r1 a reused id."""
    return [
        GOOD,
        {**GOOD, "id": "r2", "subject": "1101051949123100"},
        {**GOOD, "id": "r3", "item": "NOPE"},
        {**GOOD, "id": "r4", "subject": ORGANISATION, "item": "POS-VOLUNTEER"},
        {**GOOD, "id": "r5", "reference": None, "resolved_on": date(2024, 1, 1)},
        {**GOOD, "id": "r1"},
    ]
