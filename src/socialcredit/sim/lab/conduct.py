"""Conduct: new records from monthly hazards, and obligations performed (compliance).

A subject's monthly probability of a record of an item is the item's hazard for its kind,
times its latent risk (``synth``'s heavy-tailed draw, mean 1), times the multipliers of its
region, sector and age band, times the deterrence multiplier while it is on a black list.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from socialcredit.sim.lab.population import BoolArray, FloatArray, IntArray, LabPopulation
from socialcredit.sim.lab.store import NONE, Error, RecordStore
from socialcredit.sim.scenario import Conduct, ScoreBand


@dataclass(frozen=True)
class Month:
    index: int
    first: int
    """Day number of the month's first day."""
    last: int

    @property
    def days(self) -> int:
        return self.last - self.first + 1


def subject_factor(population: LabPopulation, conduct: Conduct) -> FloatArray:
    """Risk times the multipliers of each subject's groups."""
    factor = population.risk.copy()
    tables = {
        "region": conduct.multipliers.province,
        "sector": conduct.multipliers.sector,
        "age_band": conduct.multipliers.age_band,
    }
    for name, table in tables.items():
        groups = population.groups[name]
        per_code = np.array([table.get(n, 1.0) for n in groups.names], dtype=np.float64)
        factor *= per_code[groups.codes]
    return factor


@dataclass(frozen=True)
class Conducts:
    """What the month's draws need: hazards (items x subjects) before deterrence, and per item
    a ceiling no subject's monthly probability exceeds."""

    hazards: FloatArray
    deterrence: float
    ceilings: FloatArray
    band: ScoreBand | None = None


def conducts(population: LabPopulation, conduct: Conduct) -> Conducts:
    factor = subject_factor(population, conduct)
    rows = []
    for hazard in conduct.hazards:
        base = np.where(population.is_person, hazard.person, hazard.organisation)
        rows.append(np.minimum(base * factor, 1.0))
    hazards = np.array(rows).reshape(len(rows), population.size)
    deterrence, band = conduct.deterrence.listed, conduct.deterrence.score
    top = hazards.max(axis=1) if population.size else np.zeros(len(rows))
    highest = max(deterrence, band.multiplier if band else 1.0, 1.0)
    return Conducts(hazards, deterrence, np.minimum(top * highest, 1.0), band)


def multipliers(model: Conducts, listed: BoolArray, scores: dict[str, IntArray]) -> FloatArray:
    """Each subject's deterrence multiplier: the black list's, else its score band's, else 1."""
    out = np.ones(len(listed))
    if model.band is not None:
        out[scores[model.band.model] < model.band.below] = model.band.multiplier
    out[listed] = model.deterrence
    return out


def new_records(
    rng: np.random.Generator, model: Conducts, deterrence: FloatArray, month: Month
) -> tuple[IntArray, IntArray, IntArray]:
    """(item, subject, decided day) of the month's new records, by subject then item.

    Each subject has a record of item ``i`` with probability ``min(1, hazard x deterrence)``
    (``deterrence``: each subject's multiplier, see :func:`multipliers`),
    drawn without touching every subject: a binomial number of candidates (each subject with
    the item's ceiling probability), each kept with its own probability over the ceiling.
    """
    size = model.hazards.shape[1]
    items, subjects = [], []
    for i, ceiling in enumerate(model.ceilings.tolist()):
        if ceiling <= 0:
            continue
        drawn = int(rng.binomial(size, ceiling))
        candidates = np.sort(rng.choice(size, size=drawn, replace=False))
        chance = np.minimum(model.hazards[i, candidates] * deterrence[candidates], 1.0)
        kept = candidates[rng.random(drawn) * ceiling < chance]
        subjects.append(kept.astype(np.int64))
        items.append(np.full(len(kept), i, dtype=np.int64))
    item = np.concatenate(items) if items else np.zeros(0, dtype=np.int64)
    subject = np.concatenate(subjects) if subjects else np.zeros(0, dtype=np.int64)
    order = np.lexsort((item, subject))
    item, subject = item[order], subject[order]
    decided = month.first + rng.integers(0, month.days, len(item))
    return item, subject, decided


def deterred_expectation(model: Conducts, deterrence: FloatArray) -> float:
    """Records expected in a month and not made, because subjects were deterred."""
    deterred = np.nonzero(deterrence < 1.0)[0]
    return float((model.hazards[:, deterred] * (1.0 - deterrence[deterred])).sum())


def comply(rng: np.random.Generator, store: RecordStore, monthly: float, month: Month) -> None:
    """Each open obligation decided before the month ends is performed with ``monthly``.

    A duplicate is not: the agency does not know it filed the case twice."""
    resolved = store["resolved"]
    genuine = (store["error"] != Error.DUPLICATE) & store.negative[store["item"]]
    open_rows = np.nonzero((resolved == NONE) & (store["decided"] <= month.last) & genuine)[0]
    done = open_rows[rng.random(len(open_rows)) < monthly]
    earliest = np.maximum(store["decided"][done], month.first)
    resolved[done] = earliest + (rng.random(len(done)) * (month.last - earliest + 1)).astype(int)
