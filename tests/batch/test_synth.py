"""Synthetic populations: deterministic, valid identifiers, valid records, whole subjects."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from socialcredit.identity import is_valid_resident_id, is_valid_uscc
from socialcredit.ingest import read_records
from socialcredit.policy import PolicySet, load_policies
from socialcredit.sim import SynthOptions, synthesise
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def examples() -> PolicySet:
    return load_policies([ROOT / "policies" / "examples"])


def _digest(directory: Path) -> dict[str, str]:
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def _options(out: Path, seed: int = 3) -> SynthOptions:
    return SynthOptions(3000, 300, date(2021, 1, 1), 36, seed, out, buckets=3)


def test_same_seed_same_bytes(examples: PolicySet, workdir: Path) -> None:
    synthesise(examples, _options(workdir / "a"))
    synthesise(examples, _options(workdir / "b"))
    synthesise(examples, _options(workdir / "c", seed=4))
    assert _digest(workdir / "a") == _digest(workdir / "b")
    assert _digest(workdir / "a") != _digest(workdir / "c")
    # Not only the manifest (which records the seed): the records themselves differ.
    assert _digest(workdir / "a" / "records") != _digest(workdir / "c" / "records")


def test_population_is_valid_and_bucketed(examples: PolicySet, workdir: Path) -> None:
    summary = synthesise(examples, _options(workdir))
    subjects = pq.read_table(workdir / "subjects").to_pylist()
    assert len(subjects) == 3300 == len({s["subject"] for s in subjects})
    for row in subjects:
        valid = is_valid_resident_id if row["kind"] == "person" else is_valid_uscc
        assert valid(row["subject"]), row
    owners: dict[str, str] = {}
    for bucket in sorted((workdir / "records").iterdir()):
        for row in pq.read_table(bucket).select(["subject"]).to_pylist():
            assert owners.setdefault(row["subject"], bucket.name) == bucket.name
    records = pq.read_table(workdir / "records")
    assert records.num_rows == summary.records > 3 * 3300
    assert set(records.column("item").to_pylist()) == set(examples.items)
    for column in ("resolved_on", "revoked_on", "disputed_on", "dispute_outcome"):
        assert records.column(column).null_count < records.num_rows


def test_sample_is_valid_input_of_assess(examples: PolicySet, workdir: Path) -> None:
    synthesise(examples, _options(workdir))
    batch = read_records(workdir / "sample.jsonl", examples)
    assert batch.lines > 50
    assert not batch.problems
    assert {r.subject_kind for r in batch.records} == {"person", "organisation"}
