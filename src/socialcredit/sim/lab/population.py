"""The lab's population: ``synth``'s subjects as arrays, with the groups the measures report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
import pyarrow as pa
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


def _encode(column: pa.ChunkedArray | pa.Array) -> Groups:
    """Codes in the sorted order of the names (``np.unique``'s)."""
    values = np.asarray(column.to_numpy(zero_copy_only=False), dtype=object).astype(str)
    names, codes = np.unique(values, return_inverse=True)
    return Groups(codes.astype(np.int64), tuple(str(n) for n in names))


def _age_bands(births: pa.ChunkedArray, on: date) -> pa.Array:
    """Each person's age band on ``on``; ``organisation`` where there is no birth date."""
    born = pc.fill_null(births.cast(pa.int32()), 0).to_numpy().astype("datetime64[D]")
    years = born.astype("datetime64[Y]").astype(np.int64) + 1970
    months = born.astype("datetime64[M]")
    month = (months - born.astype("datetime64[Y]")).astype(np.int64) + 1
    day = (born - months).astype(np.int64) + 1
    age = on.year - years - ((month * 100 + day) > (on.month * 100 + on.day))
    bands = np.array(AGE_BANDS, dtype=object)[np.searchsorted(_AGE_EDGES, age, side="right")]
    bands[pc.is_null(births).to_numpy(zero_copy_only=False)] = "organisation"
    return pa.array(bands, pa.string())


def build_population(persons: int, organisations: int, seed: int, start: date) -> LabPopulation:
    """Persons first, then organisations, as ``synth`` draws them (one bucket)."""
    subjects = subjects_of_bucket(PopulationSpec(persons, organisations, 1, seed, start), 0)
    table = subjects.table
    groups = {
        "region": _encode(table["province"]),
        "age_band": _encode(_age_bands(table["birth_date"], start)),
        "kind": _encode(table["kind"]),
        "sector": _encode(pc.fill_null(table["sector"], "person")),
    }
    risk = np.asarray(subjects.risk, dtype=np.float64)
    return LabPopulation(subjects.ids, np.asarray(subjects.is_person, bool), risk, groups)
