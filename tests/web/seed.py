"""A small registry for the portal tests: a judgment defaulter (P1), a second person (P2), an
organisation with public tax records and a name (O1), and one principal per desk."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from socialcredit.registry import Actor, Registry, RegistrySettings, initialise
from socialcredit.registry.workflows.principals import PrincipalSpec, create_principal
from socialcredit.registry.workflows.submissions import name_organisation
from socialcredit.registry.writes.submit import Submission, submit_lines
from tests.registry.conftest import START, install_examples
from tests.registry.helpers import COURT, O1, P1, P2, spc

TAX = "State Taxation Administration (competent tax bureau)"
ORG_NAME = "Fuzhou Example Trading Co., Ltd."
SET_UP = Actor("tests", "operator", "test set-up")
__all__ = ["O1", "ORG_NAME", "P1", "P2", "Seeded", "csrf_of", "seed"]


@dataclass(frozen=True)
class Seeded:
    registry: Registry
    keys: dict[str, str]


def _tax(record_id: str, decided: date) -> dict[str, Any]:
    return {
        "id": record_id,
        "subject": O1,
        "item": "ENT-TAX-ARREARS-LONG",
        "authority": "Fuzhou Taxation Bureau",
        "reference": f"Rong Shui (2024) {record_id}",
        "decided_on": decided.isoformat(),
        "notified_on": decided.isoformat(),
        "amount": "1200000",
    }


def seed(url: str) -> Seeded:
    reg = Registry.open(RegistrySettings(database_url=url, chunk_size=50))
    initialise(reg, START)
    install_examples(reg)
    court = [(1, spc("A1")), (2, spc("A2", subject=P2)), (3, spc("A3", decided=date(2024, 6, 1)))]
    submit_lines(reg, court, Submission(COURT, SET_UP))
    submit_lines(reg, [(1, _tax("T1", date(2024, 10, 8)))], Submission(TAX, SET_UP))
    name_organisation(reg, O1, ORG_NAME, SET_UP)
    specs = (
        PrincipalSpec("subject", "subject", subject=P1, verification="in person, ref T-1"),
        PrincipalSpec("reviewer", "reviewer", authority=COURT),
        PrincipalSpec("tax-reviewer", "reviewer", authority=TAX),
        PrincipalSpec("court", "agency", authority=COURT),
        PrincipalSpec("airline", "service", services=("flight-booking",)),
    )
    keys = {s.name: create_principal(reg, s, SET_UP)[1] for s in specs}
    return Seeded(reg, keys)


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, "the page has no form token"
    return found.group(1)


def records_file(folder: Path) -> Path:
    """A JSON Lines file of two court records, one of them refused (bad identifier)."""
    path = folder / "records.jsonl"
    good = spc("U1", subject=P2)
    bad = spc("U2", subject="12345")
    path.write_text(f"{json.dumps(good)}\n{json.dumps(bad)}\n", encoding="utf-8")
    return path
