"""The registry the HTTP benchmarks serve: the example policies and the demo records of
``subjects`` subjects, on the date the demo records are decided before (a registry refuses
decisions after its date)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from socialcredit.policy import PolicySet
from socialcredit.registry import Actor, Registry, initialise
from socialcredit.registry.workflows.demo import by_agency, demo_records
from socialcredit.registry.workflows.policies import load_policy_files
from socialcredit.registry.writes.submit import Submission, submit_lines

ROOT = Path(__file__).resolve().parents[1]
DEMO_DATE = date(2025, 6, 1)
ACTOR = Actor("bench", "admin", "benchmark")


def fill_demo_registry(reg: Registry, subjects: int) -> PolicySet:
    """Initialise ``reg`` with the example policies and submit every demo record (all of them
    must be registered); the active policy set."""
    initialise(reg, DEMO_DATE)
    load_policy_files(reg, [ROOT / "policies" / "examples"], ACTOR)
    with reg.session() as session:
        policies = reg.policies(session).policy_set
    agency_actor = Actor("bench", "agency", "benchmark")
    for agency, rows in by_agency(
        demo_records(policies, subjects, seed=1, until=DEMO_DATE)
    ).items():
        report = submit_lines(reg, list(enumerate(rows, 1)), Submission(agency, agency_actor))
        if report.refused:
            raise RuntimeError(f"demo records refused: {report.refused[0].reasons}")
    return policies
