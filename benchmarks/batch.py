"""Benchmark of the batch scorer (not a timed test): records/s and peak memory, end to end.

Usage (data generated beforehand with ``socialcredit synth``, under /tmp, never in the repo):

    .venv/bin/python benchmarks/batch.py --records /tmp/scale/p1m/records \\
        --records /tmp/scale/p10m/records --as-of 2025-06-01 --work /tmp/scale/bench

For each records directory, the DuckDB executor runs in a fresh subprocess (so that its peak
resident memory is its own) from Parquet in to Parquet out. On the first bucket of the first
directory it runs DuckDB again and the Spark executor (local mode), both end to end, and the
engine's per-subject Python path (``assess`` only: reading and validating are not timed) on the
first ``--engine-records`` records of that bucket, and reports Spark and the engine as ratios to
DuckDB's rate on the bucket. Finally it projects the time to rescore 1.4 billion persons and 188
million organisations. Prints one line (a dict) per measurement; docs/benchmarks.md quotes them.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from socialcredit.batch.options import BatchOptions
from socialcredit.batch.run import assess_dataset
from socialcredit.batch.summary import Summary
from socialcredit.engine import assess
from socialcredit.ingest import read_records
from socialcredit.policy import PolicySet, load_policies
from socialcredit.sim.synth import write_jsonl

POLICIES = Path(__file__).resolve().parents[1] / "policies" / "examples"
NATION_PERSONS, NATION_ORGS = 1_400_000_000, 188_000_000


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _timed(
    runner: Callable[[PolicySet, BatchOptions], Summary], records: Path, out: Path, day: date
) -> dict[str, Any]:
    """One end-to-end run of a batch executor (Parquet in, Parquet out), timed."""
    shutil.rmtree(out, ignore_errors=True)
    policies = load_policies([POLICIES])
    start = time.perf_counter()
    summary = runner(policies, BatchOptions(records, out, day))
    seconds = time.perf_counter() - start
    return {
        "records": summary.rows_in,
        "subjects": summary.subjects,
        "partitions": summary.partitions,
        "seconds": seconds,
        "rate": summary.rows_in / seconds,
        "peak_mib": _peak_mib(),
    }


def run_duckdb(records: Path, out: Path, day: date) -> dict[str, Any]:
    return _timed(assess_dataset, records, out, day)


def run_spark(records: Path, out: Path, day: date) -> dict[str, Any]:
    # pyspark is optional and slow to import: loaded only for this measurement. peak_mib is
    # the Python driver's only (the JVM is a child process).
    spark_executor = importlib.import_module("socialcredit.batch.spark_executor")
    return _timed(spark_executor.assess_dataset_spark, records, out, day)


def run_engine(sample: Path, day: date) -> dict[str, Any]:
    policies = load_policies([POLICIES])
    batch = read_records(sample, policies)
    by_subject = defaultdict(list)
    for record in batch.records:
        by_subject[record.subject].append(record)
    start = time.perf_counter()
    for subject, own in by_subject.items():
        assess(policies, own, subject, day)
    seconds = time.perf_counter() - start
    return {"records": len(batch.records), "seconds": seconds, "rate": len(batch.records) / seconds}


def _child(mode: str, *args: str) -> dict[str, Any]:
    output = subprocess.run(
        [sys.executable, __file__, "--child", mode, *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, Any] = json.loads(output.strip().splitlines()[-1])
    return result


def _sample_jsonl(bucket: Path, target: Path, limit: int) -> Path:
    write_jsonl(pq.read_table(bucket).slice(0, limit), target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=Path, action="append", default=[])
    parser.add_argument("--as-of", default="2025-06-01")
    parser.add_argument("--work", type=Path, default=Path("/tmp/socialcredit-bench"))
    parser.add_argument("--engine-records", type=int, default=100_000)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    day = date.fromisoformat(args.as_of)
    if args.child:
        mode, *rest = args.child
        runner = {"duckdb": run_duckdb, "spark": run_spark}[mode]
        print(json.dumps(runner(Path(rest[0]), Path(rest[1]), day)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    results = {}
    for records in args.records:
        results[str(records)] = _child("duckdb", str(records), str(args.work / "duck"), args.as_of)
        print(records, results[str(records)], flush=True)
    first_bucket = sorted(p for p in args.records[0].iterdir() if p.is_dir())[0]
    one = _child("duckdb", str(first_bucket), str(args.work / "duck1"), args.as_of)
    print("duckdb, one bucket", one, flush=True)
    sample = _sample_jsonl(first_bucket, args.work / "sample.jsonl", args.engine_records)
    engine = run_engine(sample, day)
    print("engine", engine, "ratio", engine["rate"] / one["rate"], flush=True)
    if not args.no_spark:
        spark = _child("spark", str(first_bucket), str(args.work / "spark"), args.as_of)
        print("spark", spark, "ratio", spark["rate"] / one["rate"], flush=True)
    largest = max(results.values(), key=lambda r: r["records"])
    per_subject = largest["records"] / largest["subjects"]
    nation = (NATION_PERSONS + NATION_ORGS) * per_subject
    print(f"nation: {nation:.3g} records; this machine: {nation / largest['rate'] / 3600:.1f} h")


if __name__ == "__main__":
    main()
