"""The lab's population: ``synth``'s subjects as arrays, with the groups the measures report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow.compute as pc

from socialcredit.sim.population import PopulationSpec, subjects_of_bucket

AGE_BANDS = ("18-29", "30-44", "45-59", "60+")
_AGE_EDGES = np.array([30, 45, 60])
IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Groups:
    """One grouping of the subjects: a code per subject and the name of each code."""

    codes: IntArray
    names: tuple[str, ...]


@dataclass(frozen=True)
class LabPopulation:
    ids: list[str]
    is_person: BoolArray
    risk: FloatArray
    groups: dict[str, Groups]
    """``region`` (province), ``age_band``, ``kind``, ``sector``."""

    @property
    def size(self) -> int:
        return len(self.ids)


def _encode(values: list[str]) -> Groups:
    names = tuple(sorted(set(values)))
    index = {name: i for i, name in enumerate(names)}
    return Groups(np.array([index[v] for v in values], dtype=np.int64), names)


def _age_bands(births: list[date | None], on: date) -> list[str]:
    out = []
    for born in births:
        if born is None:
            out.append("organisation")
            continue
        age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
        out.append(AGE_BANDS[int(np.searchsorted(_AGE_EDGES, age, side="right"))])
    return out


def build_population(persons: int, organisations: int, seed: int, start: date) -> LabPopulation:
    """Persons first, then organisations, as ``synth`` draws them (one bucket)."""
    subjects = subjects_of_bucket(PopulationSpec(persons, organisations, 1, seed, start), 0)
    table = subjects.table
    sectors = pc.fill_null(table["sector"], "person").to_pylist()
    groups = {
        "region": _encode(table["province"].to_pylist()),
        "age_band": _encode(_age_bands(table["birth_date"].to_pylist(), start)),
        "kind": _encode(table["kind"].to_pylist()),
        "sector": _encode(sectors),
    }
    risk = np.asarray(subjects.risk, dtype=np.float64)
    return LabPopulation(subjects.ids, np.asarray(subjects.is_person, bool), risk, groups)
