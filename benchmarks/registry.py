"""Benchmark: the registry on SQLite and PostgreSQL. Not a test.

Reports records/s of a bulk submission with live assessments (and the CPU seconds of the
submitting process and, for a local PostgreSQL, of the server's processes, to tell the two
sides' work apart; from them, the microseconds of CPU per record on each side and the ceiling
that the machine's cores put on the bulk rate), the latency of one submission
with its reassessment (p50/p99), of an in-process ``check`` (p50/p99 after a warm-up; it
reads the stored decision and appends an audit entry, committed before the answer), and the
time of three ticks of one day each (the subjects due, and the seconds: it should grow with
the subjects due, not with the population). The load
average is printed before and after each database's run: compare figures taken at like loads;
first, the machine (``machine.py``: CPU model, cores and a calibration timing).

    .venv/bin/python benchmarks/registry.py --subjects 2000 --samples 100 \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test

``--mode links`` measures instead the bulk submission of responsible-person links and records
together relative to records alone, in the same run (``registry_links.py``).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from machine import machine, postgres_seconds, postgres_ticks
from registry_links import links_run
from sqlalchemy import create_engine, text

from socialcredit.registry import Actor, Registry, RegistrySettings, initialise
from socialcredit.registry.reads.checks import check
from socialcredit.registry.workflows.demo import by_agency, demo_records
from socialcredit.registry.workflows.policies import load_policy_files
from socialcredit.registry.writes.submit import Submission, submit_lines, submit_record
from socialcredit.registry.writes.tick import tick

ROOT = Path(__file__).resolve().parents[1]
ACTOR = Actor("bench", "agency", "benchmark")
REGISTRY_DATE = date(2025, 6, 1)  # the demo records are decided before it
WARM_UP = 50
_LINKS_ARGS = (REGISTRY_DATE, ROOT / "policies" / "examples", ACTOR)


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def run(url: str, subjects: int, samples: int) -> dict[str, Any]:
    reg = Registry.open(RegistrySettings(database_url=url, chunk_size=1000))
    initialise(reg, REGISTRY_DATE)
    load_policy_files(reg, [ROOT / "policies" / "examples"], ACTOR)
    with reg.session() as session:
        policies = reg.policies(session).policy_set
    grouped = by_agency(demo_records(policies, subjects, seed=1))
    total = sum(len(v) for v in grouped.values())
    server = postgres_ticks() if url.startswith("postgresql") else {}
    start, cpu = time.perf_counter(), time.process_time()
    for agency, records in grouped.items():
        submit_lines(reg, list(enumerate(records, 1)), Submission(agency, ACTOR))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    server_s = postgres_seconds(server, postgres_ticks()) if server else None
    bulk = total / elapsed
    budget = _budget(total, cpu, server_s)
    extra = by_agency(demo_records(policies, samples, seed=2))
    single: list[float] = []
    sample = [(agency, r) for agency, records in extra.items() for r in records][:samples]
    for agency, original in sample:  # --samples single submissions in all, across agencies
        raw = {**original, "id": f"x-{original['id']}"}
        t = time.perf_counter()
        submit_record(reg, raw, Submission(agency, ACTOR))
        single.append(time.perf_counter() - t)
    ids = [r["subject"] for rs in grouped.values() for r in rs]
    rng = random.Random(3)
    service = Actor("svc", "service", "bench")
    for _ in range(WARM_UP):  # connections, prepared statements, caches
        check(reg, rng.choice(ids), "flight-booking", service)
    checks: list[float] = []
    for _ in range(samples * 5):
        t = time.perf_counter()
        check(reg, rng.choice(ids), "flight-booking", service)
        checks.append(time.perf_counter() - t)
    ticks = _ticks(reg)
    reg.close()
    return {
        "records": total,
        "bulk_records_per_s": round(bulk),
        "bulk_s": round(elapsed, 2),
        "bulk_cpu_s": round(cpu, 2),
        "bulk_server_cpu_s": server_s,
        **budget,
        "submit_p50_ms": round(_pct(single, 0.5), 2),
        "submit_p99_ms": round(_pct(single, 0.99), 2),
        "check_p50_ms": round(_pct(checks, 0.5), 3),
        "check_p99_ms": round(_pct(checks, 0.99), 3),
        "check_mean_ms": round(statistics.mean(checks) * 1000, 3),
        "ticks_due_and_s": ticks,
    }


def _budget(records: int, client_s: float, server_s: float | None) -> dict[str, Any]:
    """CPU per record on each side and the bulk rate that the machine's cores could reach if
    both sides' work overlapped perfectly (records/s = cores / CPU seconds per record): a
    target above this ceiling cannot be met on this machine by overlapping work, only by
    doing less of it."""
    if server_s is None:
        return {}
    cores = os.cpu_count() or 1
    return {
        "bulk_client_us_per_record": round(client_s / records * 1e6),
        "bulk_server_us_per_record": round(server_s / records * 1e6),
        "bulk_ceiling_records_per_s": round(cores * records / (client_s + server_s)),
    }


def _ticks(reg: Registry) -> list[tuple[int, float]]:
    """Three ticks of one day each: (subjects reassessed, seconds)."""
    found = []
    for days in (1, 2, 3):
        t = time.perf_counter()
        report = tick(reg, REGISTRY_DATE + timedelta(days=days), ACTOR)
        found.append((report.subjects, round(time.perf_counter() - t, 3)))
    return found


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=3000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="run one database only")
    parser.add_argument(
        "--mode", choices=["all", "links"], default="all", help="links: links+records vs records"
    )
    args = parser.parse_args()
    print("machine", machine())
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            print("load before", _load())
            if args.mode == "links":
                urls = (f"sqlite:///{tmp}/alone.db", f"sqlite:///{tmp}/both.db")
                print("sqlite links", links_run(urls, args.subjects, *_LINKS_ARGS))
            else:
                print("sqlite", run(f"sqlite:///{tmp}/bench.db", args.subjects, args.samples))
            print("load after", _load())
    if args.only == "sqlite":
        return
    schemas = [f"bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    admin = create_engine(args.postgres)
    with admin.begin() as conn:
        for schema in schemas:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        first, second = (f"{args.postgres}?options=-csearch_path%3D{s}" for s in schemas)
        print("load before", _load())
        if args.mode == "links":
            print("postgresql links", links_run((first, second), args.subjects, *_LINKS_ARGS))
        else:
            print("postgresql", run(first, args.subjects, args.samples))
        print("load after", _load())
    finally:
        with admin.begin() as conn:
            for schema in schemas:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
