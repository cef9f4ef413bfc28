"""Benchmark: point-of-service checks through HTTP. Not a test.

Builds a registry (SQLite by default, or ``--db``) with demo records, creates a service
principal, starts ``socialcredit serve`` on a free loopback port, and drives it with a bounded,
self-stopping load client: ``--procs`` client processes, each running one asyncio loop with
its share of ``--connections`` raw keep-alive HTTP/1.1 connections (request bytes encoded
before the clock starts; only the status line and ``Content-Length`` of each answer are
parsed). Every phase lasts ``--seconds`` at a fixed concurrency, after a 2 s warm-up.

Phases: ``floor`` (``GET /docs/oauth2-redirect``, a static page with no dependency: what
uvicorn and FastAPI do here at all), ``health`` (``GET /v1/health``: a key lookup from the cache
and one read of the registry's date in a worker thread), ``single`` (``POST /v1/checks``, random
subjects and services) and ``batch`` (``POST /v1/checks/batch`` of ``--batch`` subjects, one
service each, on ``--batch-connections`` connections). Reports requests/s, subject-checks/s,
latency p50/p99, the server's CPU seconds (all its processes, from /proc), the client's own CPU
seconds, the CPU seconds of a local PostgreSQL server's processes (whatever the database: with
SQLite it shows other clients' work; null without a local server) and the 1-minute load
average before and after; first, the machine (``machine.py``: CPU model, cores and a
calibration timing, to scale figures between machines).

    .venv/bin/python benchmarks/api.py --subjects 5000 --seconds 15 --connections 16 --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import httpx
import uvloop
from demo_registry import fill_demo_registry
from machine import machine, postgres_seconds, postgres_ticks

from socialcredit.registry import Actor, Registry, RegistrySettings
from socialcredit.registry.workflows.demo import organisation_id, person_id
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal

ROOT = Path(__file__).resolve().parents[1]
ACTOR = Actor("bench", "admin", "benchmark")
POOL = 512  # distinct pre-encoded requests per connection (cycled)


def build(url: str, subjects: int) -> tuple[str, list[str], list[str]]:
    """A registry with demo records; return a service key, the subjects and the services."""
    reg = Registry.open(RegistrySettings(database_url=url))
    try:
        policies = fill_demo_registry(reg, subjects)
        services = sorted(policies.service_ids())
        spec = PrincipalSpec("bench-service", "service", services=tuple(services))
        _, key = create_principal(reg, spec, ACTOR)
    finally:
        reg.close()
    ids = [organisation_id(n) if n % 10 == 0 else person_id(n) for n in range(subjects)]
    return key, ids, services


def built(url: str, subjects: int, cache: Path | None) -> tuple[str, list[str], list[str]]:
    """``build``, or (SQLite, ``--cache DIR``) a copy of the registry built by an earlier run."""
    if cache is None or not url.startswith("sqlite:///"):
        return build(url, subjects)
    saved, made = cache / f"registry-{subjects}.db", cache / f"setup-{subjects}.json"
    target = Path(url.removeprefix("sqlite:///"))
    if not made.exists():
        cache.mkdir(parents=True, exist_ok=True)
        found = build(url, subjects)
        shutil.copyfile(target, saved)
        made.write_text(json.dumps(found))
    shutil.copyfile(saved, target)
    key, ids, services = json.loads(made.read_text())
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


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) of ``pid`` and its live children, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for child in [pid, *_children(pid)]:
        try:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        for child in map(int, text):
            found += [child, *_children(child)]
    return found


def http_request(method: str, path: str, host: str, key: str, body: Any = None) -> bytes:
    """One HTTP/1.1 keep-alive request, encoded."""
    payload = b"" if body is None else json.dumps(body).encode()
    head = (
        f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload


@dataclass(frozen=True)
class Phase:
    host: str
    port: int
    connections: int
    seconds: float
    requests: list[list[bytes]]  # per connection


async def _connection(phase: Phase, index: int, stop: float, out: array[float]) -> str | None:
    """Send this connection's requests in turn until ``stop``; the first error, or None."""
    reader, writer = await asyncio.open_connection(phase.host, phase.port)
    pool = phase.requests[index % len(phase.requests)]
    clock, n = time.perf_counter, 0
    try:
        while clock() < stop:
            started = clock()
            writer.write(pool[n % len(pool)])
            n += 1
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = int(head.split(b"ontent-length: ", 1)[1].split(b"\r\n", 1)[0])
            body = await reader.readexactly(length)
            out.append(clock() - started)
            if status != 200:
                return f"{status} {body[:300]!r}"
    finally:
        writer.close()
    return None


async def _process(phase: Phase, first: int, count: int) -> tuple[array[float], list[str]]:
    latencies: array[float] = array("d")
    stop = time.perf_counter() + phase.seconds
    tasks = [_connection(phase, first + i, stop, latencies) for i in range(count)]
    errors = [e for e in await asyncio.gather(*tasks) if e is not None]
    return latencies, errors


def _client(phase: Phase, first: int, count: int, pipe: Connection) -> None:
    """One client process: its connections on one event loop; send back what it saw."""
    cpu = time.process_time()
    latencies, errors = uvloop.run(_process(phase, first, count))
    pipe.send((latencies.tobytes(), errors, time.process_time() - cpu))
    pipe.close()


def load(phase: Phase, procs: int) -> tuple[list[float], float]:
    """Run ``procs`` client processes; every latency (seconds) and the clients' CPU seconds."""
    ctx = multiprocessing.get_context("fork")
    shares = [phase.connections // procs + (i < phase.connections % procs) for i in range(procs)]
    running, first = [], 0
    for count in (s for s in shares if s):
        mine, theirs = ctx.Pipe(duplex=False)
        process = ctx.Process(target=_client, args=(phase, first, count, theirs))
        process.start()
        running.append((process, mine))
        first += count
    latencies: list[float] = []
    cpu, errors = 0.0, list[str]()
    for process, pipe in running:
        raw, found, used = pipe.recv()
        process.join()
        latencies += array("d", raw).tolist()
        cpu, errors = cpu + used, errors + found
    if errors:
        raise RuntimeError(errors[0])
    return latencies, cpu


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


def measure(phase: Phase, procs: int, server: int, per_request: int) -> dict[str, Any]:
    """One phase after a 2 s warm-up: throughput, latency, CPU of server and client, load."""
    warm = Phase(phase.host, phase.port, phase.connections, 2.0, phase.requests)
    load(warm, procs)
    before, load_before, db_before = tree_cpu(server), os.getloadavg()[0], postgres_ticks()
    latencies, client_cpu = load(phase, procs)
    server_cpu, db_cpu = tree_cpu(server) - before, postgres_seconds(db_before, postgres_ticks())
    found = summary(latencies, phase.seconds, per_request)
    return found | {
        "server_cpu_s": round(server_cpu, 2),
        "server_cpu_ms_per_request": round(1000 * server_cpu / max(1, found["requests"]), 3),
        "client_cpu_s": round(client_cpu, 2),
        "postgres_cpu_s": db_cpu,
        "load1_before": round(load_before, 2),
        "load1_after": round(os.getloadavg()[0], 2),
    }


def requests_for(
    args: argparse.Namespace, host: str, key: str, ids: list[str], services: list[str]
) -> dict[str, list[list[bytes]]]:
    """Pre-encoded requests of each phase, one pool per connection."""

    def single(rng: random.Random) -> bytes:
        body = {"subject": rng.choice(ids), "service": rng.choice(services)}
        return http_request("POST", "/v1/checks", host, key, body)

    def batch(rng: random.Random) -> bytes:
        service = rng.choice(services)
        chosen = [{"subject": s, "service": service} for s in rng.sample(ids, args.batch)]
        return http_request("POST", "/v1/checks/batch", host, key, {"checks": chosen})

    floor = http_request("GET", "/docs/oauth2-redirect", host, key)
    health = http_request("GET", "/v1/health", host, key)
    pools: dict[str, list[list[bytes]]] = {"single": [], "batch": []}
    pools |= {"floor": [[floor]], "health": [[health]]}
    for index in range(args.connections):
        rng = random.Random(index)
        pools["single"].append([single(rng) for _ in range(POOL)])
    for index in range(args.batch_connections):
        rng = random.Random(1000 + index)
        pools["batch"].append([batch(rng) for _ in range(16)])
    return pools


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="database URL (default: a new SQLite file)")
    parser.add_argument("--subjects", type=int, default=5000)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--procs", type=int, default=2, help="client processes")
    parser.add_argument("--connections", type=int, default=16, help="floor, health, single")
    parser.add_argument("--batch-connections", type=int, default=2, help="batches")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--phases", default="floor,health,single,batch")
    parser.add_argument("--cache", type=Path, help="SQLite: reuse the registry built here")
    args = parser.parse_args()
    host = machine()
    with tempfile.TemporaryDirectory(prefix="socialcredit-bench-") as tmp:
        url = args.db or f"sqlite:///{Path(tmp) / 'registry.db'}"
        key, ids, services = built(url, args.subjects, args.cache)
        port = free_port()
        pools = requests_for(args, f"127.0.0.1:{port}", key, ids, services)
        server = serve(url, port, args.workers)
        found = {}
        try:
            for name in args.phases.split(","):
                connections = args.batch_connections if name == "batch" else args.connections
                phase = Phase("127.0.0.1", port, connections, args.seconds, pools[name])
                per = args.batch if name == "batch" else 1
                found[name] = measure(phase, args.procs, server.pid, per)
        finally:
            server.terminate()
            server.wait(30)
    names = ("db", "subjects", "seconds", "procs", "connections", "batch_connections", "batch")
    setup = {k: getattr(args, k) for k in (*names, "workers")}
    print(json.dumps({"setup": setup, "machine": host} | found, indent=2))


if __name__ == "__main__":
    main()
