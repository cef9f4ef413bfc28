"""Declared identifier kinds: the batch scorer refuses and accepts exactly the rows the engine's
validation does, and keeps the same canonical subject (regression: a resident number with a
mistyped birth date was read as an organisation by both)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from socialcredit.batch.options import BatchOptions
from socialcredit.batch.run import assess_dataset
from socialcredit.engine import resolve_organisation_codes, validate_record
from socialcredit.policy import PolicySet
from socialcredit.sim.records import RECORD_SCHEMA
from tests.batch.badrows import GOOD, write_rows

SCHEMA = RECORD_SCHEMA.append(pa.field("identifier_kind", pa.string()))
CASES: list[tuple[str, str | None]] = [
    ("11010519491231002X", None),
    ("11010519491231002X", "resident-identity-number"),
    ("11010519491231002X", "unified-social-credit-code"),  # a person's number: wrong kind
    ("110105199913450012", None),  # month 13: refused, never an organisation
    ("110105199913450012", "passport"),
    ("911522010783710635", None),  # an all-digit credit code must be declared
    ("911522010783710635", "unified-social-credit-code"),
    ("91350100M000100Y43", None),
    ("91350100M000100Y43", "resident-identity-number"),
    ("810000199001010019", None),
    ("810000199001010019", "residence-permit"),
    ("911840199001010018", "permanent-residence-card"),
    ("USA110801010010", None),
    ("chn:e12345678", None),
    ("chn:e12345678", "passport"),
    ("60003734-1", None),
    ("60003734-2", "organisation-code"),
    ("11010519491231002X", "driving-licence"),
    ("11010519491231002X", "  "),
    ("91350100600037341P", None),  # embeds 60003734-1: k15 is filed under it
    ("91350100MA0001KX7B", None),  # two credit codes embed MA0001KX-7: k22 is ambiguous
    ("12100000MA0001KX79", None),
    ("MA0001KX-7", "organisation-code"),
    ("12345678-8", None),  # no credit code of the dataset embeds it
]


def _rows() -> list[dict[str, Any]]:
    return [
        {**GOOD, "id": f"k{i:02d}", "subject": subject, "identifier_kind": kind}
        for i, (subject, kind) in enumerate(CASES)
    ]


def _engine(policies: PolicySet, rows: list[dict[str, Any]]) -> dict[str, str | None]:
    """The engine's subject of each row: validated alone, then read together with the others
    (an organisation code filed under the one credit code of the rows that embeds it)."""
    out: dict[str, str | None] = {}
    valid = []
    for row in rows:
        raw = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in row.items()}
        checked = validate_record({k: v for k, v in raw.items() if v is not None}, policies)
        out[row["id"]] = None
        if checked.record is not None:
            valid.append(checked.record)
    for record in resolve_organisation_codes(valid).records:
        out[record.id] = record.subject
    return out


def _batch(policies: PolicySet, rows: list[dict[str, Any]], workdir: Path) -> dict[str, Any]:
    write_rows(rows, workdir / "in" / "part-0.parquet", SCHEMA)
    out = workdir / "out"
    assess_dataset(policies, BatchOptions(workdir / "in", out, date(2025, 6, 1), True))
    refused = {r["id"] for r in pq.read_table(out / "quarantine").to_pylist()}
    kept = {r["record"]: r["subject"] for r in pq.read_table(out / "records").to_pylist()}
    return {row["id"]: None if row["id"] in refused else kept[row["id"]] for row in rows}


def test_batch_and_engine_agree_on_declared_kinds(lab_policy: PolicySet, workdir: Path) -> None:
    rows = _rows()
    expected = _engine(lab_policy, rows)
    assert _batch(lab_policy, rows, workdir) == expected
    assert expected["k03"] is None and expected["k05"] is None and expected["k02"] is None
    assert expected["k06"] == "911522010783710635"
    assert expected["k15"] == "91350100600037341P"
    assert expected["k22"] is None and expected["k23"] is None
