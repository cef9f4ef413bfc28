"""The lab's incremental monthly assessments equal the engine's on a sample of subjects.

The scenario changes its policy set at month 3 (adding the enterprise policy), a month that is
compared: everyone with records is assessed again then."""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

from socialcredit.engine import assess
from socialcredit.ingest import read_records
from socialcredit.sim.lab.conduct import Month
from socialcredit.sim.lab.replicate import Lab, run_replicate
from socialcredit.sim.lab.scoring import EFFECTS, day_of
from socialcredit.sim.lab.store import World
from socialcredit.sim.scenario_loader import load_scenario
from socialcredit.sim.synth import write_jsonl
from tests.sim.scenarios import write

SAMPLED_MONTHS = (1, 3, 5)


def _compare(lab: Lab, month: Month, tmp: Path) -> int:
    policies = lab.loaded.policies_at(month.index)
    compared = 0
    for world, state in zip(World, lab.states, strict=True):
        store = lab.store
        known = np.array([code in policies.items for code in store.items], dtype=bool)
        in_force = known[store["item"]]
        rows = np.nonzero(store.present(world) & (store["decided"] <= month.last) & in_force)[0]
        subjects = np.unique(store.subject_of(world)[rows])
        rng = np.random.default_rng(month.index)
        sample = rng.choice(subjects, size=min(40, len(subjects)), replace=False)
        rows = rows[np.isin(store.subject_of(world)[rows], sample)]
        path = tmp / f"records-{month.index}-{world.name}.jsonl"
        write_jsonl(store.table(world, rows, lab.population), path)
        batch = read_records(path, policies)
        assert not batch.problems
        for subject in sample.tolist():
            sid = lab.population.ids[subject]
            expected = assess(policies, batch.records, sid, day_of(month.last))
            lists = {lid for lid, members in state.lists.items() if members[subject]}
            assert lists == {m.list for m in expected.lists}, (sid, month)
            effects = {s: EFFECTS[int(state.effects[s][subject])] for s in policies.service_ids()}
            assert effects == {d.service: d.effect for d in expected.decisions}, (sid, month)
            for score in expected.scores:
                assert state.scores[score.model][subject] == score.value, (sid, month)
            compared += 1
    return compared


def test_lab_assessments_equal_the_engines() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_scenario(write(Path(tmp)))
        compared: list[int] = []

        def observe(lab: Lab, month: Month) -> None:
            if month.index in SAMPLED_MONTHS:
                compared.append(_compare(lab, month, Path(tmp)))

        lab = run_replicate(loaded, 0, observe)
    assert len(compared) == len(SAMPLED_MONTHS)
    assert sum(compared) >= 150
    # the sample is not trivial: errors, objections and listings happened
    assert int((lab.store["error"] != 0).sum()) > 10
    assert int((lab.store["outcome"] == 2).sum()) > 0
    assert lab.states[0].on_kind("black").sum() > 10
