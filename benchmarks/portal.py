"""Benchmark: the portal's public lookup page against the API's JSON lookup. Not a test.

Builds a SQLite registry (or ``--db``) with demo records of ``--subjects`` subjects (every tenth
an organisation), starts ``socialcredit serve`` on a free loopback port, and asks for random
organisations alternately through ``GET /v1/public/organisations/{code}`` (JSON) and
``GET /organisations/{code}`` (the HTML page, in Chinese), ``--rounds`` times each for
``--seconds`` at ``--connections`` concurrent keep-alive connections (one asyncio client with
httpx), after a warm-up. Both do the same registry work (the lookup and its audit entry); the
page adds the active policies and the template. Reports requests/s of each phase, the median
of each kind and the ratio page / JSON, side by side in the same run.

    .venv/bin/python benchmarks/portal.py --subjects 2000 --seconds 10 --connections 8
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from demo_registry import fill_demo_registry
from machine import machine

from socialcredit.registry import Actor, Registry, RegistrySettings
from socialcredit.registry.workflows.demo import organisation_id

ROOT = Path(__file__).resolve().parents[1]
ACTOR = Actor("bench", "admin", "benchmark")
KINDS = {"json": "/v1/public/organisations/{}", "page": "/organisations/{}?lang=zh"}


def build(url: str, subjects: int) -> list[str]:
    """A registry with demo records; the organisations' codes."""
    reg = Registry.open(RegistrySettings(database_url=url))
    try:
        fill_demo_registry(reg, subjects)
    finally:
        reg.close()
    return [organisation_id(n) for n in range(0, subjects, 10)]


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    program = Path(sys.executable).parent / "socialcredit"
    unlimited = ["--public-reads-per-minute", "1000000", "--public-burst", "1000000"]
    server = subprocess.Popen(  # the lookups are anonymous: no rate limit in the way
        [str(program), "serve", "--port", str(port), "--db", url, *unlimited]
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/v1/health", timeout=2)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("the server did not start")


async def phase(base: str, kind: str, codes: list[str], seconds: float, connections: int) -> float:
    """Requests per second of ``kind`` over ``seconds`` (every answer checked)."""
    done = 0
    stop = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)

    async def worker(client: httpx.AsyncClient, rng: random.Random) -> None:
        nonlocal done
        while time.monotonic() < stop:
            code = rng.choice(codes)
            answer = await client.get(KINDS[kind].format(code))
            if answer.status_code != 200 or code not in answer.text:
                raise RuntimeError(f"{kind} {code}: {answer.status_code}")
            done += 1

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
        started = time.monotonic()
        await asyncio.gather(*(worker(client, random.Random(i)) for i in range(connections)))
        return done / (time.monotonic() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--db", default=None, help="database URL (default: a SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.db or f"sqlite:///{Path(folder) / 'registry.db'}"
        codes = build(url, args.subjects)
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = serve(url, port)
        try:
            base = f"http://127.0.0.1:{port}"
            for kind in KINDS:  # warm-up
                asyncio.run(phase(base, kind, codes, 2, args.connections))
            runs: dict[str, list[float]] = {kind: [] for kind in KINDS}
            for _ in range(args.rounds):
                for kind in KINDS:
                    rate = asyncio.run(phase(base, kind, codes, args.seconds, args.connections))
                    runs[kind].append(round(rate, 1))
        finally:
            server.terminate()
            server.wait(30)
    medians = {kind: statistics.median(rates) for kind, rates in runs.items()}
    report = {
        "machine": machine(),
        "subjects": args.subjects,
        "organisations": len(codes),
        "seconds": args.seconds,
        "connections": args.connections,
        "requests_per_second": runs,
        "median": medians,
        "page_over_json": round(medians["page"] / medians["json"], 3),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
