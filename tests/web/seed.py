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
from tests.conftest import ROOT
from tests.registry.conftest import START, install_examples
from tests.registry.helpers import COURT, O1, P1, P2, spc

TAX = "State Taxation Administration (competent tax bureau)"
ORG_NAME = "Fuzhou Example Trading Co., Ltd."
SET_UP = Actor("tests", "operator", "test set-up")
MAPPING = ROOT / "examples" / "mappings" / "court-enforcement.yaml"
HEADER = (
    "序号,记录编号,被执行人名称,统一社会信用代码,身份证号码,案号,执行法院,失信情形代码,"
    "立案日期,发布日期,执行标的（元）,备注"
)
COURT_NAME = "北京市朝阳区人民法院"
__all__ = ["MAPPING", "O1", "ORG_NAME", "P1", "P2", "Seeded", "court_export", "csrf_of", "seed"]


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


def court_export(folder: Path, prefix: str = "SX") -> Path:
    """A court's export in GB18030 for ``MAPPING``: one good row, one with a conduct code the
    mapping lacks (09), and a column (备注) the mapping does not know."""
    rows = [
        HEADER,
        f"1,{prefix}1,张某,,{P2},（2024）京0105执1号,{COURT_NAME},01,2024年12月1日,"
        '2024年12月2日,"12,000",甲',
        f"2,{prefix}2,李某,,{P2},（2024）京0105执2号,{COURT_NAME},09,2024年12月1日,,5000,乙",
    ]
    path = folder / "enforcement.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gb18030"))
    return path
