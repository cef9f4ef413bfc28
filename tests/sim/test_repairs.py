"""Credit repair applications: they shorten listings, are counted, and bad rates are refused."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from socialcredit.sim.lab.conduct import Month
from socialcredit.sim.lab.repairs import Applications, Pending, decide_due
from socialcredit.sim.lab.replicate import Lab, run_replicate
from socialcredit.sim.lab.results import results_of
from socialcredit.sim.lab.store import COLUMNS, NONE, Error, RecordStore
from socialcredit.sim.scenario import Repairs
from socialcredit.sim.scenario_loader import ScenarioError, load_scenario
from tests.sim.scenarios import REPAIRS, write


def _listed_months(lab: Lab) -> float:
    """Subject-months on a black list, summed over the horizon (the monthly stock)."""
    return sum(v for _month, measure, v in lab.tally.rows if measure == "listed")


def test_repair_applications_shorten_listings(tmp_path: Path) -> None:
    without = REPAIRS.replace("repairs: {monthly: 0.5, granted: 0.9}", "repairs: {monthly: 0.0}")
    lab_with = run_replicate(load_scenario(write(tmp_path, REPAIRS, "with.yaml")), 0)
    lab_without = run_replicate(load_scenario(write(tmp_path, without, "without.yaml")), 0)
    totals = results_of(lab_with, 0).totals
    assert totals["repair_applications"] > 20
    assert 0 < totals["repairs_refused"] < totals["repairs_granted"]
    assert totals["repairs_granted"] + totals["repairs_refused"] <= totals["repair_applications"]
    # three reviewers of a day each: most decisions within the list's three days
    assert 0 < totals["repair_days_to_exit_mean"] < 3
    assert 0 < totals["repairs_late"] < totals["repair_applications"] / 4
    assert _listed_months(lab_with) < 0.8 * _listed_months(lab_without)
    assert totals["exits"] > results_of(lab_without, 0).totals["exits"]
    nobody = results_of(lab_without, 0).totals
    assert nobody["repair_applications"] == nobody["repairs_granted"] == 0


def test_applications_with_no_reviewers_are_late(tmp_path: Path) -> None:
    text = REPAIRS.replace('authority: "The enforcing people\'s court"', "authority: Nobody")
    text = text.replace(
        "due_process:\n  reviewers:\n    - {authority: Nobody, reviewers: 3, "
        "mean_review_days: 1}\n",
        "due_process:\n",
    )
    lab = run_replicate(load_scenario(write(tmp_path, text)), 0)
    totals = results_of(lab, 0).totals
    assert totals["repair_applications"] > 0
    assert totals["repairs_late"] == totals["repair_applications"]
    assert totals["repairs_granted"] == totals["repairs_refused"] == 0


def test_a_repair_rate_outside_0_1_is_refused_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, REPAIRS.replace("monthly: 0.5", "monthly: 1.5"))
    with pytest.raises(ScenarioError) as raised:
        load_scenario(path)
    rendered = [p.render() for p in raised.value.problems]
    line = REPAIRS.splitlines().index("  repairs: {monthly: 0.5, granted: 0.9}") + 1
    assert any(f"scenario.yaml:{line}:" in r and "less than or equal to 1" in r for r in rendered)
    assert len(rendered) == 1, rendered


def test_a_grant_resolves_the_applicants_open_records_of_the_list() -> None:
    store = RecordStore(("LISTED", "OTHER"), ("Court", "Court"), np.array([True, True]))
    rows = {  # 0: the applicant's; 1: another item; 2: misattributed to it; 3: someone else's
        "item": [0, 1, 0, 0],
        "true_subject": [4, 4, 9, 5],
        "subject": [4, 4, 4, 5],
        "error": [Error.NONE, Error.NONE, Error.MISATTRIBUTED, Error.NONE],
        "decided": [100, 100, 100, 100],
        "resolved": [NONE] * 4,
    }
    store.append({c: np.array(rows.get(c, [NONE] * 4), dtype=np.int64) for c in COLUMNS})
    apps = Applications(Repairs(monthly=0.5))
    apps.items["list"] = np.array([True, False])
    apps.pending = Pending(
        np.array([4, 5]),
        ["list", "list"],
        np.array([150, 150]),
        np.array([152.5, 170.0]),
        np.array([True, False]),
    )
    granted, refused = decide_due(store, apps, Month(0, 140, 160))
    assert (granted, refused) == (1, 0)
    assert store["resolved"].tolist() == [152, NONE, NONE, NONE]
    assert apps.days_to_grant == [2]
    assert apps.pending.subject.tolist() == [5]
