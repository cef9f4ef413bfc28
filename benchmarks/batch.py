"""Benchmark of the batch scorer (not a timed test): records/s, CPU seconds and peak memory.

Usage (data generated beforehand with ``socialcredit synth``, under /tmp, never in the repo):

    .venv/bin/python benchmarks/batch.py --records /tmp/scale/p1m/records \\
        --records /tmp/scale/p10m/records --as-of 2025-06-01 --work /tmp/scale/bench

For each records directory, the DuckDB executor runs in a fresh subprocess (so that its peak
resident memory and CPU seconds are its own) from Parquet in to Parquet out, timed in wall
seconds and in the process's CPU seconds (user + system, ``resource.getrusage``, DuckDB's
threads included). The CPU seconds per million records are less sensitive to other load on a
shared machine than the wall rate (though not insensitive: contention inflates them too).

**Floor** (on by default, ``--no-floor`` to skip): in another fresh subprocess with the same
DuckDB settings (threads, memory limit), the same partitions are each read whole (all 13
record columns), reduced by one GROUP BY subject (``COUNT(*)`` and an aggregate of every
column, so that no column is skipped) and written as one Parquet file per partition (zstd,
DuckDB's default level): the least work any scorer that reads every record and writes a
per-subject result must do. Two forms: ``MAX`` of every column (every string value compared)
and ``COUNT`` of every column (the cheapest form found). Each is reported beside the scorer,
wall and CPU, with the ratio scorer/floor.

On the first bucket of the first directory (``--no-bucket`` to skip) it runs DuckDB again and
the Spark executor (local mode, ``--no-spark`` to skip; its CPU seconds are not reported, the
work being in the JVM), both end to end, and the engine's per-subject Python path (``assess``
only: reading and validating are not timed) on the first ``--engine-records`` records of that
bucket, and reports Spark and the engine as ratios to DuckDB's rate on the bucket. Finally it
projects the time to rescore 1.4 billion persons and 188 million organisations. Every
measurement prints one line (a dict) with the 1-minute load average taken just before it;
docs/benchmarks.md quotes them.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import duckdb
import pyarrow.parquet as pq

from socialcredit.batch.options import BatchOptions
from socialcredit.batch.partitions import Partition, discover
from socialcredit.batch.run import assess_dataset
from socialcredit.batch.schema import RECORD_COLUMNS
from socialcredit.batch.summary import Summary
from socialcredit.engine import assess
from socialcredit.ingest import read_records
from socialcredit.policy import PolicySet, load_policies
from socialcredit.sim.synth import write_jsonl

POLICIES = Path(__file__).resolve().parents[1] / "policies" / "examples"
NATION_PERSONS, NATION_ORGS = 1_400_000_000, 188_000_000


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    """CPU seconds of this process so far (user + system, every thread: DuckDB's too)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _load() -> float:
    return os.getloadavg()[0]


def _measured(records: int, seconds: float, cpu: float, load: float) -> dict[str, Any]:
    return {
        "records": records,
        "seconds": seconds,
        "rate": records / seconds,
        "cpu_seconds": cpu,
        "cpu_s_per_m": cpu / records * 1e6,
        "load_1m": load,
        "peak_mib": _peak_mib(),
    }


def _timed(
    runner: Callable[[PolicySet, BatchOptions], Summary], records: Path, out: Path, day: date
) -> dict[str, Any]:
    """One end-to-end run of a batch executor (Parquet in, Parquet out), timed."""
    shutil.rmtree(out, ignore_errors=True)
    policies = load_policies([POLICIES])
    load, cpu, start = _load(), _cpu_seconds(), time.perf_counter()
    summary = runner(policies, BatchOptions(records, out, day))
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    result = _measured(summary.rows_in, seconds, cpu, load)
    return {"subjects": summary.subjects, "partitions": summary.partitions, **result}


def run_duckdb(records: Path, out: Path, day: date) -> dict[str, Any]:
    return _timed(assess_dataset, records, out, day)


def run_spark(records: Path, out: Path, day: date) -> dict[str, Any]:
    # pyspark is optional and slow to import: loaded only for this measurement. peak_mib is
    # the Python driver's only (the JVM is a child process).
    spark_executor = importlib.import_module("socialcredit.batch.spark_executor")
    result = _timed(spark_executor.assess_dataset_spark, records, out, day)
    del result["cpu_seconds"], result["cpu_s_per_m"]  # the driver's only: the JVM does the work
    return result


def floor_sql(partition: Partition, target: Path, aggregate: str) -> str:
    """Read a partition whole, one GROUP BY subject (``aggregate`` of every other column), one
    Parquet file written."""
    listed = ", ".join("'" + str(f).replace("'", "''") + "'" for f in partition.files)
    columns = ", ".join(f"{aggregate}({c}) AS {c}" for c in RECORD_COLUMNS if c != "subject")
    return (
        f"COPY (SELECT subject, COUNT(*) AS n, {columns} "
        f"FROM read_parquet([{listed}], union_by_name = true) GROUP BY subject) "
        f"TO '{target}' (FORMAT parquet, COMPRESSION zstd)"
    )


def run_floor(records: Path, out: Path, day: date, aggregate: str = "MAX") -> dict[str, Any]:
    """The floor: per partition, with the scorer's DuckDB settings (``day`` is not used)."""
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    options = BatchOptions(records, out, day)
    partitions = discover(records)
    load, cpu, start = _load(), _cpu_seconds(), time.perf_counter()
    con = duckdb.connect()
    con.execute(f"SET memory_limit = '{options.memory_limit}'")
    con.execute(f"SET threads = {int(options.threads)}")
    con.execute("SET preserve_insertion_order = false")
    rows = 0
    for partition in partitions:
        listed = [str(f) for f in partition.files]
        rows += sum(pq.ParquetFile(f).metadata.num_rows for f in listed)
        con.execute(floor_sql(partition, out / f"part-{partition.name}.parquet", aggregate))
    con.close()
    seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
    return {"partitions": len(partitions), **_measured(rows, seconds, cpu, load)}


def run_engine(sample: Path, day: date) -> dict[str, Any]:
    policies = load_policies([POLICIES])
    batch = read_records(sample, policies)
    by_subject = defaultdict(list)
    for record in batch.records:
        by_subject[record.subject].append(record)
    load, start = _load(), time.perf_counter()
    for subject, own in by_subject.items():
        assess(policies, own, subject, day)
    seconds = time.perf_counter() - start
    records = len(batch.records)
    return {"records": records, "seconds": seconds, "rate": records / seconds, "load_1m": load}


RUNNERS: dict[str, Callable[[Path, Path, date], dict[str, Any]]] = {
    "duckdb": run_duckdb,
    "spark": run_spark,
    "floor": run_floor,
    "floor-count": partial(run_floor, aggregate="COUNT"),
}


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


def _population(records: Path, work: Path, as_of: str, floor: bool) -> dict[str, Any]:
    """The scorer on a records directory and, with ``floor``, the floor beside it."""
    scorer = _child("duckdb", str(records), str(work / "duck"), as_of)
    print(records, "scorer", scorer, flush=True)
    for mode in ("floor", "floor-count") if floor else ():
        least = _child(mode, str(records), str(work / mode), as_of)
        ratios = {
            "wall": scorer["seconds"] / least["seconds"],
            "cpu": scorer["cpu_seconds"] / least["cpu_seconds"],
        }
        print(records, mode, least, "scorer/floor", ratios, flush=True)
    return scorer


def _one_bucket(args: argparse.Namespace, day: date) -> None:
    """DuckDB, the engine and Spark on the first bucket of the first directory."""
    first_bucket = sorted(p for p in args.records[0].iterdir() if p.is_dir())[0]
    one = _child("duckdb", str(first_bucket), str(args.work / "duck1"), args.as_of)
    print("duckdb, one bucket", one, flush=True)
    sample = _sample_jsonl(first_bucket, args.work / "sample.jsonl", args.engine_records)
    engine = run_engine(sample, day)
    print("engine", engine, "ratio", engine["rate"] / one["rate"], flush=True)
    if not args.no_spark:
        spark = _child("spark", str(first_bucket), str(args.work / "spark"), args.as_of)
        print("spark", spark, "ratio", spark["rate"] / one["rate"], flush=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=Path, action="append", default=[])
    parser.add_argument("--as-of", default="2025-06-01")
    parser.add_argument("--work", type=Path, default=Path("/tmp/socialcredit-bench"))
    parser.add_argument("--engine-records", type=int, default=100_000)
    parser.add_argument("--no-spark", action="store_true")
    parser.add_argument("--no-floor", action="store_true", help="skip the floor measurement")
    parser.add_argument("--no-bucket", action="store_true", help="skip the one-bucket runs")
    parser.add_argument("--child", nargs="+")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    day = date.fromisoformat(args.as_of)
    if args.child:
        mode, *rest = args.child
        print(json.dumps(RUNNERS[mode](Path(rest[0]), Path(rest[1]), day)))
        return
    args.work.mkdir(parents=True, exist_ok=True)
    results = [_population(r, args.work, args.as_of, not args.no_floor) for r in args.records]
    if not args.no_bucket:
        _one_bucket(args, day)
    largest = max(results, key=lambda r: r["records"])
    per_subject = largest["records"] / largest["subjects"]
    nation = (NATION_PERSONS + NATION_ORGS) * per_subject
    print(f"nation: {nation:.3g} records; this machine: {nation / largest['rate'] / 3600:.1f} h")


if __name__ == "__main__":
    main()
