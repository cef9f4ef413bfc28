"""What machine a benchmark ran on, and how fast its cores were at the time. Not a test.

Machines of the same kind differ from session to session (the same code has run 2-2.5x
faster on one than on another), so every benchmark prints this beside its figures:
the CPU model, the core count, the 1-minute load and ``calibration_ms``, the best of five
timings of a fixed single-threaded pure-Python workload (JSON, SHA-256 and dictionaries, the
kinds of work the registry's hot paths do). Compare figures from different runs only after
scaling by their calibrations, and only at similar loads. ``postgres_ticks`` reads the CPU
time of a local PostgreSQL server's processes, to tell the database's work from the client's.

    .venv/bin/python benchmarks/machine.py
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import Any


def _workload() -> int:
    """A fixed amount of work: 20,000 small records encoded, hashed and indexed."""
    index: dict[str, int] = {}
    for n in range(20_000):
        record = {"subject": f"S{n:08d}", "item": "late_tax_filing", "amount": n % 977}
        text = json.dumps(record, sort_keys=True)
        digest = hashlib.sha256(text.encode()).hexdigest()
        index[digest[:12]] = len(json.loads(text))
    return len(index)


def calibration_ms(repeats: int = 5) -> float:
    """Best of ``repeats`` timings of the fixed workload, in milliseconds."""
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        _workload()
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def _cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return "unknown"
    names = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return names[0] if names else "unknown"


def postgres_ticks() -> dict[str, int]:
    """CPU clock ticks used so far by each process of a local PostgreSQL server."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if "(postgres)" in stat:
            fields = stat.rsplit(")", 1)[1].split()
            found[entry.name] = int(fields[11]) + int(fields[12])
    return found


def postgres_seconds(before: dict[str, int], after: dict[str, int]) -> float | None:
    """CPU seconds the server's processes used between two ``postgres_ticks``: processes that
    ended meanwhile are missed, and other clients' backends count too (run it alone on the
    server). None without a local server."""
    if not after:
        return None
    ticks = sum(used - before.get(pid, 0) for pid, used in after.items())
    return round(ticks / os.sysconf("SC_CLK_TCK"), 2)


def machine() -> dict[str, Any]:
    """The CPU model, cores, 1-minute load and the calibration timing."""
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "load1": round(os.getloadavg()[0], 2),
        "calibration_ms": calibration_ms(),
    }


if __name__ == "__main__":
    print(json.dumps(machine(), indent=2))
