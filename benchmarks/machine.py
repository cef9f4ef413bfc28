"""What machine a benchmark ran on, and how fast its cores were at the time. Not a test.

Machines of the same kind differ from session to session (the same code has run 2-2.5x
faster on one than on another), so every benchmark prints this beside its figures:
the CPU model, the core count, the 1-minute load and ``calibration_ms``, the best of five
timings of a fixed single-threaded pure-Python workload (JSON, SHA-256 and dictionaries, the
kinds of work the registry's hot paths do). Compare figures from different runs only after
scaling by their calibrations, and only at similar loads. ``postgres_cpu`` reads the CPU time
of a local PostgreSQL server's processes, to tell the database's work from the client's.

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


def postgres_cpu() -> float:
    """CPU seconds (user + system) used so far by the live processes of a local PostgreSQL
    server (all of its backends: other clients' work counts too, and backends that have exited
    are missed)."""
    tick, total = os.sysconf("SC_CLK_TCK"), 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if "(postgres)" in stat:
            fields = stat.rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
    return total / tick


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
