"""Every record the lab has made, as growing numpy columns, with its ground truth.

Dates are day numbers since 1970-01-01, ``NONE`` (-1) where absent. Each record keeps the
subject it is truly about (``true_subject``) beside the one it was filed under (``subject``,
``NONE`` when a legacy code linked it to no one) and what went wrong (``error``). Two worlds
are read from the same rows: the *observed* one (records as filed, with every error, objection
and decision) and the *true* one (the genuine records about their true subjects, notified on
time, never disputed), so that wrongful sanctions are counted exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum

import numpy as np
import pyarrow as pa

from socialcredit.sim.lab.population import BoolArray, IntArray, LabPopulation
from socialcredit.sim.records import DECLARED_SCHEMA, declared_kinds

NONE = -1
OUTCOMES = (None, "upheld", "revoked")


class Error(IntEnum):
    NONE = 0
    MISATTRIBUTED = 1
    DUPLICATE = 2
    UNLINKED = 3


class World(IntEnum):
    OBSERVED = 0
    TRUE = 1


COLUMNS = (
    "item",
    "true_subject",
    "subject",
    "error",
    "decided",
    "notified",
    "true_notified",
    "resolved",
    "disputed",
    "dispute_decided",
    "outcome",
)


@dataclass
class RecordStore:
    """Columns of equal length; ``items`` and ``authorities`` name the codes of ``item``."""

    items: tuple[str, ...]
    authorities: tuple[str, ...]
    negative: BoolArray
    """Per item: whether it is negative (only negative records are resolved)."""
    columns: dict[str, IntArray] = field(
        default_factory=lambda: {name: np.zeros(0, dtype=np.int64) for name in COLUMNS}
    )

    def __len__(self) -> int:
        return len(self.columns["item"])

    def __getitem__(self, name: str) -> IntArray:
        return self.columns[name]

    def append(self, new: dict[str, IntArray]) -> None:
        for name in COLUMNS:
            self.columns[name] = np.concatenate([self.columns[name], new[name]])

    def subject_of(self, world: World) -> IntArray:
        return self["subject"] if world is World.OBSERVED else self["true_subject"]

    def present(self, world: World) -> BoolArray:
        """The rows that exist in ``world``."""
        if world is World.OBSERVED:
            return np.asarray(self["subject"] != NONE, dtype=bool)
        return np.asarray(self["error"] != Error.DUPLICATE, dtype=bool)

    def touched(self, world: World, after: int, until: int) -> IntArray:
        """Subjects of ``world`` with a fact dated in ``(after, until]``."""
        names: tuple[str, ...] = ("decided", "resolved")
        if world is World.OBSERVED:
            names += ("notified", "disputed", "dispute_decided")
        else:
            names += ("true_notified",)
        hit = np.zeros(len(self), dtype=bool)
        for name in names:
            column = self[name]
            hit |= (column > after) & (column <= until)
        hit &= self.present(world)
        return np.unique(self.subject_of(world)[hit])

    def table(self, world: World, rows: IntArray, population: LabPopulation) -> pa.Table:
        """The given rows as records of ``world`` in the batch scorer's Parquet schema."""
        observed = world is World.OBSERVED
        subject = self.subject_of(world)[rows]
        item = self["item"][rows]
        outcome = self["outcome"][rows] if observed else np.zeros(len(rows), dtype=np.int64)
        return pa.table(
            {
                "id": [f"r{r:010d}" for r in rows.tolist()],
                "subject": [population.ids[s] for s in subject.tolist()],
                "item": [self.items[i] for i in item.tolist()],
                "authority": [self.authorities[i] for i in item.tolist()],
                "reference": [f"case-{r}" for r in rows.tolist()],
                "decided_on": _dates(self["decided"][rows]),
                "notified_on": _dates(self["notified" if observed else "true_notified"][rows]),
                "notice": pa.nulls(len(rows), pa.string()),  # served on notified_on, if any
                "amount": pa.nulls(len(rows), pa.float64()),
                "resolved_on": _dates(self["resolved"][rows]),
                "revoked_on": pa.nulls(len(rows), pa.date32()),
                "disputed_on": _dates(self["disputed"][rows], observed),
                "dispute_decided_on": _dates(self["dispute_decided"][rows], observed),
                "dispute_outcome": pa.array([OUTCOMES[o] for o in outcome.tolist()], pa.string()),
                "identifier_kind": declared_kinds(population.is_person[subject]),
            },
            schema=DECLARED_SCHEMA,
        )


def _dates(days: IntArray, keep: bool = True) -> pa.Array:
    absent = (days == NONE) | (not keep)
    return pa.array(days.astype(np.int32), mask=absent).cast(pa.date32())
