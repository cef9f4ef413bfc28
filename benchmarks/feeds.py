"""Benchmark: a page of a service provider's feed against a batch check of the same subjects,
in the same run, on SQLite and PostgreSQL. Not a test.

Builds a registry of demo subjects, makes a service provider for every service, and then times
(median of ``--repeats`` after a warm-up) reading one page of ``--page`` changes from an empty
cursor (number the changes, read the page, one audit entry per change, commit) and one batch
check (``check_many``: one audit entry per check) of the same (subject, service) pairs. Prints
both, microseconds per change or check, and the ratio feed / batch (below 1: the feed is
cheaper per subject handed out). First the machine (``machine.py``).

    .venv/bin/python benchmarks/feeds.py --subjects 2000 --page 500 --repeats 5 \
        --postgres postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from machine import machine
from sqlalchemy import create_engine, text

from socialcredit.registry import Actor, Registry, RegistrySettings, initialise
from socialcredit.registry.reads.checks import MAX_BATCH, CheckRequest, check_many
from socialcredit.registry.reads.feed import Provider, read_feed
from socialcredit.registry.workflows.demo import by_agency, demo_records
from socialcredit.registry.workflows.policies import load_policy_files
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal
from socialcredit.registry.writes.submit import Submission, submit_lines

ROOT = Path(__file__).resolve().parents[1]
ACTOR = Actor("bench", "agency", "benchmark")
REGISTRY_DATE = date(2025, 6, 1)


def _median_s(work: Callable[[], object], repeats: int) -> float:
    work()  # warm-up: connections, statements, caches
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        work()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run(url: str, subjects: int, page: int, repeats: int) -> dict[str, Any]:
    reg = Registry.open(RegistrySettings(database_url=url, chunk_size=1000))
    initialise(reg, REGISTRY_DATE)
    load_policy_files(reg, [ROOT / "policies" / "examples"], ACTOR)
    with reg.session() as session:
        policies = reg.policies(session)
    for agency, records in by_agency(demo_records(policies.policy_set, subjects, 1)).items():
        submit_lines(reg, list(enumerate(records, 1)), Submission(agency, ACTOR))
    services = tuple(sorted(policies.services))
    row, _ = create_principal(reg, PrincipalSpec("provider", "service", services=services), ACTOR)
    provider = Provider(row.id, frozenset(services))
    reader = Actor(f"principal:{row.id}:provider", "service", "benchmark")
    first = read_feed(reg, provider, reader, None, page)
    requests = [CheckRequest(c["subject"], c["service"]) for c in first.changes][:MAX_BATCH]
    feed_s = _median_s(lambda: read_feed(reg, provider, reader, None, len(requests)), repeats)
    batch_s = _median_s(lambda: check_many(reg, requests, reader), repeats)
    reg.close()
    n = len(requests)
    return {
        "changes_in_page": n,
        "feed_page_ms": round(feed_s * 1000, 2),
        "batch_check_ms": round(batch_s * 1000, 2),
        "feed_us_per_change": round(feed_s / n * 1e6, 1),
        "batch_us_per_check": round(batch_s / n * 1e6, 1),
        "ratio_feed_to_batch": round(feed_s / batch_s, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--page", type=int, default=500)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help="run one database only")
    args = parser.parse_args()
    print("machine", machine())
    if args.only != "postgresql":
        with tempfile.TemporaryDirectory() as tmp:
            print("load before", " ".join(f"{x:.2f}" for x in os.getloadavg()))
            print("sqlite", run(f"sqlite:///{tmp}/b.db", args.subjects, args.page, args.repeats))
    if args.only == "sqlite":
        return
    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.postgres)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        url = f"{args.postgres}?options=-csearch_path%3D{schema}"
        print("load before", " ".join(f"{x:.2f}" for x in os.getloadavg()))
        print("postgresql", run(url, args.subjects, args.page, args.repeats))
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


if __name__ == "__main__":
    main()
