"""Incremental scoring with the batch scorer: the month's decisions in the lab.

Each month only the subjects with a new fact (a record decided, notified, resolved, disputed
or decided on objection during the month) or a due ``next_change`` are assessed again, by
``batch.run.assess_dataset`` over their records as of the month's last day; everyone else
keeps the assessment they had. The batch scorer is proved equal to the engine elsewhere; the
lab's own test proves its incremental use equal to ``engine.assess``.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

from socialcredit.batch.options import BatchOptions
from socialcredit.batch.run import assess_dataset
from socialcredit.policy import PolicySet
from socialcredit.sim.lab.population import BoolArray, IntArray, LabPopulation
from socialcredit.sim.lab.store import NONE, RecordStore, World

EFFECTS = ("allow", "benefit", "restrict", "deny")
_EPOCH = date(1970, 1, 1)


def day_number(day: date) -> int:
    return (day - _EPOCH).days


def day_of(number: int) -> date:
    return _EPOCH + timedelta(days=number)


@dataclass
class WorldState:
    """The current assessment of every subject in one world, as arrays."""

    next_change: IntArray
    lists: dict[str, BoolArray]
    list_kinds: dict[str, str]
    effects: dict[str, IntArray]
    """Index into ``EFFECTS`` by service."""
    scores: dict[str, IntArray]
    bases: dict[str, int]

    @classmethod
    def empty(cls, size: int, sets: list[PolicySet]) -> WorldState:
        lists = {lid: np.zeros(size, bool) for p in sets for lid in p.lists}
        kinds: dict[str, str] = {lid: str(d.kind) for p in sets for lid, d in p.lists.items()}
        effects = {s: np.zeros(size, np.int64) for p in sets for s in p.service_ids()}
        bases = {mid: m.base for p in sets for mid, m in p.models.items()}
        scores = {mid: np.full(size, base, np.int64) for mid, base in bases.items()}
        return cls(np.full(size, NONE, np.int64), lists, kinds, effects, scores, bases)

    def on_kind(self, kind: str) -> BoolArray:
        """Subjects on any list of ``kind``."""
        out = np.zeros(len(self.next_change), bool)
        for lid, members in self.lists.items():
            if self.list_kinds[lid] == kind:
                out |= members
        return out

    def restricted(self) -> BoolArray:
        out = np.zeros(len(self.next_change), bool)
        for effects in self.effects.values():
            out |= effects >= EFFECTS.index("restrict")
        return out

    def clear(self, subjects: IntArray) -> None:
        self.next_change[subjects] = NONE
        for members in self.lists.values():
            members[subjects] = False
        for effects in self.effects.values():
            effects[subjects] = 0
        for model, scores in self.scores.items():
            scores[subjects] = self.bases[model]


@dataclass(frozen=True)
class ScoreJob:
    policies: PolicySet
    world: World
    subjects: IntArray
    as_of: int


def _indices(column: object, index: dict[str, int]) -> IntArray:
    values = column.to_pylist()  # type: ignore[attr-defined]
    return np.array([index[v] for v in values], dtype=np.int64)


def rescore(
    store: RecordStore,
    state: WorldState,
    job: ScoreJob,
    population: LabPopulation,
    index: dict[str, int],
) -> None:
    """Assess ``job.subjects`` of ``job.world`` on ``job.as_of`` and update ``state``."""
    state.clear(job.subjects)
    known = set(job.policies.items)
    items_known = np.array([code in known for code in store.items], dtype=bool)
    chosen = np.isin(store.subject_of(job.world), job.subjects) & store.present(job.world)
    chosen &= (store["decided"] <= job.as_of) & items_known[store["item"]]
    rows = np.nonzero(chosen)[0]
    if len(rows) == 0:
        return
    with tempfile.TemporaryDirectory(prefix="sim-score-") as tmp:
        records = Path(tmp) / "records.parquet"
        pq.write_table(store.table(job.world, rows, population), records)
        out = Path(tmp) / "out"
        assess_dataset(job.policies, BatchOptions(records, out, day_of(job.as_of)))
        _read_outputs(out, state, index)


def _read_outputs(out: Path, state: WorldState, index: dict[str, int]) -> None:
    subjects = pq.read_table(out / "subjects", columns=["subject", "next_change"])
    who = _indices(subjects["subject"], index)
    change = pc.fill_null(subjects["next_change"].cast("int32"), NONE).to_numpy()
    state.next_change[who] = change
    lists = pq.read_table(out / "lists", columns=["subject", "list"])
    for lid, members in state.lists.items():
        mine = lists.filter(pc.equal(lists["list"], lid))
        members[_indices(mine["subject"], index)] = True
    scores = pq.read_table(out / "scores", columns=["subject", "model", "value"])
    for model, values in state.scores.items():
        mine = scores.filter(pc.equal(scores["model"], model))
        values[_indices(mine["subject"], index)] = mine["value"].to_numpy()
    decisions = pq.read_table(out / "decisions", columns=["subject", "service", "effect"])
    for service, effects in state.effects.items():
        mine = decisions.filter(pc.equal(decisions["service"], service))
        codes = np.array([EFFECTS.index(e) for e in mine["effect"].to_pylist()], np.int64)
        effects[_indices(mine["subject"], index)] = codes
