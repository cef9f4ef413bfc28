"""Benchmark: point-of-service checks through HTTP. Not a test.

Builds a registry (SQLite by default) with demo records, creates a service principal, starts
``socialcredit serve`` on a free loopback port, and drives it with a bounded, self-stopping load
client: ``--clients`` threads, each with one keep-alive ``http.client`` connection, for
``--seconds`` per phase.
Phase 1 sends single checks (``POST /v1/checks``), phase 2 batches of ``--batch`` subjects
(``POST /v1/checks/batch``). Reports requests/s, subject-checks/s and latency p50/p99.

    .venv/bin/python benchmarks/api.py --subjects 5000 --seconds 15 --clients 8 --workers 1
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import date
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

import httpx

from socialcredit.registry import Actor, Registry, RegistrySettings, initialise
from socialcredit.registry.demo import by_agency, demo_records, organisation_id, person_id
from socialcredit.registry.policies import load_policy_files
from socialcredit.registry.principals import PrincipalSpec, create_principal
from socialcredit.registry.submit import Submission, submit_lines

ROOT = Path(__file__).resolve().parents[1]
ACTOR = Actor("bench", "admin", "benchmark")


def build(url: str, subjects: int) -> tuple[str, list[str], list[str]]:
    """A registry with demo records; return a service key, the subjects and the services."""
    reg = Registry.open(RegistrySettings(database_url=url))
    try:
        initialise(reg, date(2025, 1, 1))
        load_policy_files(reg, [ROOT / "policies" / "examples"], ACTOR)
        with reg.session() as session:
            policies = reg.policies(session).policies
        for agency, rows in by_agency(demo_records(policies, subjects, seed=1)).items():
            lines = list(enumerate(rows, 1))
            submit_lines(reg, lines, Submission(agency, Actor("bench", "agency", "benchmark")))
        services = sorted(policies.service_ids())
        spec = PrincipalSpec("bench-service", "service", services=tuple(services))
        _, key = create_principal(reg, spec, ACTOR)
    finally:
        reg.close()
    ids = [organisation_id(n) if n % 10 == 0 else person_id(n) for n in range(subjects)]
    return key, ids, services


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def serve(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    program = Path(sys.executable).parent / "socialcredit"
    command = [str(program), "serve", "--port", str(port), "--db", url]
    server = subprocess.Popen([*command, "--workers", str(workers)])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)
            return server
        except httpx.TransportError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not start")


def load(
    base: str, key: str, clients: int, seconds: float, request: Callable[[random.Random], Any]
) -> list[float]:
    host, port = base.removeprefix("http://").split(":")
    """Run ``clients`` threads for ``seconds``; return every request's latency (seconds)."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    stop = time.monotonic() + seconds

    def client(index: int) -> None:
        rng = random.Random(index)
        headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        http = HTTPConnection(host, port, timeout=30)  # one keep-alive connection (stdlib)
        try:
            while time.monotonic() < stop:
                path, body = request(rng)
                payload = json.dumps(body)
                started = time.perf_counter()
                http.request("POST", path, payload, headers)
                response = http.getresponse()
                text = response.read()
                latencies[index].append(time.perf_counter() - started)
                if response.status != 200:
                    errors.append(f"{response.status} {text[:200]!r}")
                    return
        finally:
            http.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(errors[0])
    return [x for found in latencies for x in found]


def summary(latencies: list[float], seconds: float, per_request: int) -> dict[str, Any]:
    ordered = sorted(latencies)

    def pct(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)

    return {
        "requests": len(ordered),
        "requests_per_s": round(len(ordered) / seconds, 1),
        "subject_checks_per_s": round(len(ordered) * per_request / seconds, 1),
        "p50_ms": pct(0.50),
        "p99_ms": pct(0.99),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    parser.add_argument("--subjects", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=8, help="threads, single checks")
    parser.add_argument("--batch-clients", type=int, default=2, help="threads, batches")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="socialcredit-bench-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'registry.db'}"
        key, ids, services = build(url, args.subjects)
        port = free_port()
        server = serve(url, port, args.workers)
        base = f"http://127.0.0.1:{port}"
        try:

            def single(rng: random.Random) -> tuple[str, Any]:
                return "/v1/checks", {"subject": rng.choice(ids), "service": rng.choice(services)}

            def batch(rng: random.Random) -> tuple[str, Any]:
                service = rng.choice(services)
                chosen = [{"subject": s, "service": service} for s in rng.sample(ids, args.batch)]
                return "/v1/checks/batch", {"checks": chosen}

            load(base, key, args.clients, 2.0, single)  # warm-up
            found = {
                "single": summary(
                    load(base, key, args.clients, args.seconds, single), args.seconds, 1
                ),
                "batch": summary(
                    load(base, key, args.batch_clients, args.seconds, batch),
                    args.seconds,
                    args.batch,
                ),
            }
        finally:
            server.terminate()
            server.wait(30)
    names = ("subjects", "seconds", "clients", "batch_clients", "batch", "workers")
    setup = {k: getattr(args, k) for k in names}
    print(json.dumps({"setup": setup, "cpus": os.cpu_count()} | found, indent=2))


if __name__ == "__main__":
    main()
