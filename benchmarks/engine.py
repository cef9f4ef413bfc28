"""Benchmark: the engine's per-subject Python path on synthetic records.

Generates ``--subjects`` subjects (persons and organisations, valid identifiers) with a
random number of records each under the example policies (seeded), then times ``assess`` for
every subject. Prints subjects/s, records/s and peak resident memory. Not a test.

    .venv/bin/python benchmarks/engine.py --subjects 20000 --seed 1
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from socialcredit.engine import Record, assess
from socialcredit.identity import example_credit_code, example_resident_id
from socialcredit.policy import PolicySet, load_policies

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2025, 6, 1)


def make_records(policies: PolicySet, subjects: int, rng: random.Random) -> list[Record]:
    by_kind: dict[str, list[str]] = defaultdict(list)
    for code, item in policies.items.items():
        for kind in item.subject_kinds:
            by_kind[kind].append(code)
    records: list[Record] = []
    for n in range(subjects):
        kind = "organisation" if n % 10 == 0 else "person"
        sid = example_credit_code(n) if kind == "organisation" else example_resident_id(n)
        for k in range(rng.choice((0, 1, 2, 3, 5, 8))):
            decided = date(2021, 1, 1) + timedelta(days=rng.randrange(1600))
            records.append(
                Record(
                    id=f"b{n}-{k}",
                    subject=sid,
                    subject_kind=kind,
                    item=rng.choice(sorted(by_kind[kind])),
                    decided_on=decided,
                    authority="Benchmark Authority",
                    reference=f"BM-{n}-{k}",
                    resolved_on=decided + timedelta(days=400) if rng.random() < 0.3 else None,
                )
            )
    return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    policies = load_policies([ROOT / "policies" / "examples"])
    records = make_records(policies, args.subjects, random.Random(args.seed))
    by_subject: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_subject[record.subject].append(record)
    started = time.perf_counter()
    for subject, own in by_subject.items():
        assess(policies, own, subject, AS_OF)
    elapsed = time.perf_counter() - started
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"subjects assessed:  {len(by_subject):,} ({len(records):,} records)")
    print(f"elapsed:            {elapsed:.2f} s")
    print(f"subjects/s:         {len(by_subject) / elapsed:,.0f}")
    print(f"records/s:          {len(records) / elapsed:,.0f}")
    print(f"peak RSS:           {peak_mib:,.0f} MiB")


if __name__ == "__main__":
    main()
