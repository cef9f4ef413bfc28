"""``synthesise``: write a synthetic population and its records as bucketed Parquet.

Layout of the output directory::

    records/bucket=00000/part-0.parquet     the records of the subjects of bucket 0
    subjects/bucket=00000/part-0.parquet    those subjects: kind, county, province, sector...
    sample.jsonl                            a small sample of whole subjects, JSON Lines
    manifest.json                           the options and the counts

Every record of a subject is in the subject's bucket, so the batch scorer can assess one bucket
at a time. The same options give byte-identical files.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from socialcredit.errors import InputError
from socialcredit.policy import PolicySet
from socialcredit.policy.durations import add_months
from socialcredit.sim.population import PopulationSpec, subjects_of_bucket
from socialcredit.sim.records import RecordSpec, catalogues, records_of_bucket

SUBJECTS_PER_BUCKET = 250_000
SAMPLE_SUBJECTS = 200


@dataclass(frozen=True)
class SynthOptions:
    persons: int
    organisations: int
    start: date
    months: int
    seed: int
    out: Path
    buckets: int = 0
    """0: one bucket per 250,000 subjects."""
    sample_subjects: int = SAMPLE_SUBJECTS

    def bucket_count(self) -> int:
        if self.buckets > 0:
            return self.buckets
        return max(1, math.ceil((self.persons + self.organisations) / SUBJECTS_PER_BUCKET))


@dataclass(frozen=True)
class SynthSummary:
    buckets: int
    persons: int
    organisations: int
    records: int
    sample_records: int


Progress = Callable[[int, int], None]


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path, compression="zstd", row_group_size=256 * 1024)


def _json_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def write_jsonl(records: pa.Table, path: Path) -> int:
    """Write ``records`` as JSON Lines (null fields left out, dates ISO); return the count."""
    lines = [
        json.dumps({k: _json_value(v) for k, v in row.items() if v is not None})
        for row in records.to_pylist()
    ]
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return len(lines)


def _sample(records: pa.Table, subjects: list[str], path: Path) -> int:
    # Filter in Arrow first: only the sampled rows become Python objects, not the bucket.
    wanted = records.filter(pc.is_in(records["subject"], pa.array(subjects, pa.string())))
    return write_jsonl(wanted, path)


def synthesise(
    policies: PolicySet, options: SynthOptions, progress: Progress | None = None
) -> SynthSummary:
    """Generate and write the population, one bucket at a time."""
    if options.persons < 0 or options.organisations < 0 or options.months < 1:
        raise InputError("persons and organisations must be >= 0 and months >= 1")
    buckets = options.bucket_count()
    pop = PopulationSpec(
        options.persons, options.organisations, buckets, options.seed, options.start
    )
    days = (add_months(options.start, options.months) - options.start).days
    spec = RecordSpec(options.seed, options.start, days)
    cats = catalogues(policies, options.seed)
    total = sample_records = 0
    for bucket in range(buckets):
        subjects = subjects_of_bucket(pop, bucket)
        records = records_of_bucket(subjects, bucket, spec, cats)
        name = f"bucket={bucket:05d}/part-0.parquet"
        _write(records, options.out / "records" / name)
        _write(subjects.table, options.out / "subjects" / name)
        if bucket == 0:
            persons = [s for s, p in zip(subjects.ids, subjects.is_person, strict=True) if p]
            orgs = [s for s, p in zip(subjects.ids, subjects.is_person, strict=True) if not p]
            few = max(1, options.sample_subjects // 10)
            chosen = persons[: options.sample_subjects - few] + orgs[:few]
            sample_records = _sample(records, chosen, options.out / "sample.jsonl")
        total += records.num_rows
        if progress is not None:
            progress(bucket + 1, buckets)
    summary = SynthSummary(buckets, options.persons, options.organisations, total, sample_records)
    manifest = {
        "options": {k: str(v) for k, v in asdict(options).items() if k != "out"},
        "policies": [p.as_dict() for p in policies.policies],
        "summary": asdict(summary),
    }
    (options.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return summary
