"""Benchmark of the simulation lab (not a timed test): agent-months per second, peak memory,
and the same behaviour model written as a Mesa model, side by side in the same run.

Usage (Mesa is the optional extra ``bench``: ``pip install -e '.[bench]'``)::

    .venv/bin/python benchmarks/sim.py --persons 1000000 --organisations 100000 --months 60 \\
        --mesa-persons 2000 --mesa-organisations 200 --mesa-months 12

Each measurement runs in a fresh subprocess (so that its peak resident memory is its own) and
prints one line (a dict) with the 1-minute load average taken before it. The lab runs the
example scenario ``examples/scenarios/court-defaulters.yaml`` (its hazards, errors, objections,
review queues and services) resized; it scores with the batch scorer, incrementally. The Mesa
model draws the same conduct, misattribution, compliance and service use per agent, and
decides listing with a hand-written rule for the court list (an effective record, unresolved
or within its term), the least a Mesa model of the same behaviour must do; it runs no batch
scorer, which favours Mesa. Both are also run at the Mesa size, so the ratio is at equal size.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from socialcredit.sim.lab.replicate import run_replicate
from socialcredit.sim.scenario import Scenario
from socialcredit.sim.scenario_loader import LoadedScenario, load_scenario

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "examples" / "scenarios" / "court-defaulters.yaml"
NOTICE_DAYS, DAYS_PER_MONTH = 12, 30


def _sized(persons: int, organisations: int, months: int) -> LoadedScenario:
    loaded = load_scenario(SCENARIO)
    update = {
        "population": {"persons": persons, "organisations": organisations},
        "horizon_months": months,
        "replicates": 1,
    }
    data = loaded.scenario.model_dump(mode="json") | update
    return replace(loaded, scenario=Scenario.model_validate(data))


def lab_child(persons: int, organisations: int, months: int) -> dict[str, Any]:
    loaded = _sized(persons, organisations, months)
    started, cpu = time.perf_counter(), time.process_time()
    lab = run_replicate(loaded, 0)
    wall = time.perf_counter() - started
    agent_months = (persons + organisations) * months
    return {
        "model": "lab",
        "subjects": persons + organisations,
        "months": months,
        "records": len(lab.store),
        "listed_at_end": int(lab.states[0].on_kind("black").sum()),
        "wall_s": round(wall, 2),
        "cpu_s": round(time.process_time() - cpu, 2),
        "agent_months_per_s": round(agent_months / wall),
        "agent_months_per_cpu_s": round(agent_months / (time.process_time() - cpu)),
    }


def mesa_child(persons: int, organisations: int, months: int) -> dict[str, Any]:  # noqa: C901
    # Mesa is a benchmark-only dependency, imported in the child that needs it.
    import mesa  # noqa: PLC0415

    loaded = _sized(persons, organisations, months)
    s = loaded.scenario
    hazards = [(h.item, h.person, h.organisation) for h in s.conduct.hazards]
    errors = s.data_errors[0]
    use = {u.service: (u.person, u.organisation) for u in s.service_use}

    class Subject(mesa.Agent):  # type: ignore[misc]
        def __init__(self, model: Any, is_person: bool, risk: float) -> None:
            super().__init__(model)
            self.is_person, self.risk = is_person, risk
            self.records: list[list[Any]] = []  # [item, decided day, resolved day or None]
            self.listed = False

        def step(self) -> None:
            m = self.model
            rng, day = m.rng_np, m.day
            factor = self.risk * (s.conduct.deterrence.listed if self.listed else 1.0)
            for item, person, organisation in hazards:
                base = person if self.is_person else organisation
                if rng.random() < base * factor:
                    target = self
                    if rng.random() < errors.misattribution:
                        target = m.others(self.is_person)
                    target.records.append([item, day + int(rng.integers(0, 30)), None])
            for record in self.records:
                if record[2] is None and rng.random() < s.conduct.compliance.monthly:
                    record[2] = day + int(rng.integers(0, 30))
            for _service, (person, organisation) in use.items():
                attempts = rng.poisson(person if self.is_person else organisation)
                if self.listed:
                    m.denied += attempts

        def assess(self, day: int) -> None:
            self.listed = any(
                decided + NOTICE_DAYS <= day
                and (resolved is None or resolved > day)
                and (item == "SPC-REFUSE" or day - decided <= 730)
                for item, decided, resolved in self.records
            )

    class Society(mesa.Model):  # type: ignore[misc]
        def __init__(self) -> None:
            super().__init__(seed=s.seed)
            self.rng_np = np.random.default_rng(s.seed)
            self.day, self.denied = 0, 0
            risk = self.rng_np.gamma(0.6, 1 / 0.6, persons + organisations)
            self.people = [Subject(self, True, float(r)) for r in risk[:persons]]
            self.orgs = [Subject(self, False, float(r)) for r in risk[persons:]]

        def others(self, is_person: bool) -> Subject:
            pool = self.people if is_person else self.orgs
            found: Subject = pool[int(self.rng_np.integers(0, len(pool)))]
            return found

        def step(self) -> None:
            self.agents.shuffle_do("step")
            self.day += DAYS_PER_MONTH
            for agent in self.agents:
                agent.assess(self.day)

    started, cpu = time.perf_counter(), time.process_time()
    model = Society()
    for _ in range(months):
        model.step()
    wall = time.perf_counter() - started
    return {
        "model": f"mesa {mesa.__version__}",
        "subjects": persons + organisations,
        "months": months,
        "listed_at_end": sum(a.listed for a in model.agents),
        "wall_s": round(wall, 2),
        "cpu_s": round(time.process_time() - cpu, 2),
        "agent_months_per_s": round((persons + organisations) * months / wall),
        "agent_months_per_cpu_s": round(
            (persons + organisations) * months / (time.process_time() - cpu)
        ),
    }


def _measure(kind: str, persons: int, organisations: int, months: int) -> dict[str, Any]:
    load = os.getloadavg()[0]
    command = [sys.executable, __file__, "--child", kind, "--persons", str(persons)]
    command += ["--organisations", str(organisations), "--months", str(months)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result["peak_rss_mib"] = round(max(peak, before) / 1024) if peak > before else "<= earlier"
    result["load_1m_before"] = round(load, 2)
    print(result, flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=60)
    parser.add_argument("--mesa-persons", type=int, default=2_000)
    parser.add_argument("--mesa-organisations", type=int, default=200)
    parser.add_argument("--mesa-months", type=int, default=12)
    parser.add_argument("--child", choices=["lab", "mesa"])
    args = parser.parse_args()
    if args.child:
        run = lab_child if args.child == "lab" else mesa_child
        print(json.dumps(run(args.persons, args.organisations, args.months)))
        return
    small = (args.mesa_persons, args.mesa_organisations, args.mesa_months)
    mesa_small = _measure("mesa", *small)
    lab_small = _measure("lab", *small)
    lab_large = _measure("lab", args.persons, args.organisations, args.months)
    for name, lab in (("equal size", lab_small), ("lab at full size", lab_large)):
        print(
            {
                "ratio": name,
                "lab_over_mesa_wall": round(
                    lab["agent_months_per_s"] / mesa_small["agent_months_per_s"], 2
                ),
                "lab_over_mesa_cpu": round(
                    lab["agent_months_per_cpu_s"] / mesa_small["agent_months_per_cpu_s"], 2
                ),
            }
        )


if __name__ == "__main__":
    main()
