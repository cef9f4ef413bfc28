"""Small scenarios for the lab's tests (written to a temporary directory)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import ROOT

POLICIES = ROOT / "policies" / "examples"

COURT = f"""scenario: {{id: test-court, title: A small court list with errors}}
seed: 5
start: 2025-01-01
horizon_months: 6
replicates: 2
population: {{persons: 1500, organisations: 200}}
policies: ["{POLICIES / "judgment-defaulters.yaml"}"]
changes:
  - month: 3
    policies: ["{POLICIES / "judgment-defaulters.yaml"}", "{POLICIES / "enterprise.yaml"}"]
conduct:
  hazards:
    - {{item: SPC-REFUSE, person: 0.01, organisation: 0.02}}
    - {{item: SPC-EVADE, person: 0.003, organisation: 0.004}}
    - {{item: ENT-TAX-ARREARS, organisation: 0.01}}
    - {{item: ENT-PENALTY-SERIOUS, organisation: 0.004}}
    - {{item: ENT-A-GRADE-TAXPAYER, organisation: 0.02}}
  deterrence:
    listed: 0.5
    score: {{model: enterprise-compliance, below: 90, multiplier: 0.7}}
  compliance: {{monthly: 0.1}}
data_errors:
  - {{agency: "The enforcing people's court", misattribution: 0.05, duplicate: 0.03,
     late_notice: 0.1, failed_notice: 0.05, unlinked: 0.05}}
due_process:
  objections: {{wrong: 0.8, right: 0.1}}
  reviewers:
    - {{authority: "The enforcing people's court", reviewers: 1, mean_review_days: 12}}
  repairs: {{monthly: 0.2, granted: 0.7}}
service_use:
  - {{service: flight-booking, person: 0.3}}
  - {{service: public-procurement-bid, organisation: 0.2}}
"""

REPAIRS = f"""scenario: {{id: test-repairs, title: Repair applications on the court's list}}
seed: 11
start: 2025-01-01
horizon_months: 6
population: {{persons: 800, organisations: 0}}
policies: ["{POLICIES / "judgment-defaulters.yaml"}"]
conduct:
  hazards:
    - {{item: SPC-REFUSE, person: 0.03}}
  compliance: {{monthly: 0.02}}
due_process:
  reviewers:
    - {{authority: "The enforcing people's court", reviewers: 3, mean_review_days: 1}}
  repairs: {{monthly: 0.5, granted: 0.9}}
"""


def write(directory: Path, text: str = COURT, name: str = "scenario.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path
