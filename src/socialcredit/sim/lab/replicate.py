"""One replicate of a scenario: the month loop over a population, in two worlds.

Each month, in order: services are used (checked against the assessments in force), new
records are made and filed (with the agencies' errors), obligations are performed, objections
are filed and scheduled, repair applications are decided and filed, and the subjects with new
facts or a due change are assessed again by the batch scorer, in the observed and the true
world. Everything is drawn from one seeded
generator, so a replicate is a function of the scenario, its seed and its number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from socialcredit.policy.durations import add_months
from socialcredit.policy.vocabulary import Polarity
from socialcredit.sim.lab.conduct import (
    Conducts,
    Month,
    comply,
    conducts,
    deterred_expectation,
    multipliers,
    new_records,
)
from socialcredit.sim.lab.dueprocess import REVOKED, Reviews, object_and_review
from socialcredit.sim.lab.errors import ErrorRates, file_records
from socialcredit.sim.lab.population import FloatArray, LabPopulation, build_population
from socialcredit.sim.lab.repairs import (
    Applications,
    Intake,
    apply_and_schedule,
    decide_due,
    repair_lists,
)
from socialcredit.sim.lab.scoring import ScoreJob, WorldState, day_number, rescore
from socialcredit.sim.lab.store import NONE, Error, RecordStore, World
from socialcredit.sim.lab.tally import Tally
from socialcredit.sim.scenario_loader import LoadedScenario

Observer = Callable[["Lab", Month], None]
"""Called after each month is assessed (tests read the lab's state through it)."""


@dataclass
class Lab:
    """The state of one replicate."""

    loaded: LoadedScenario
    population: LabPopulation
    store: RecordStore
    states: tuple[WorldState, WorldState]
    tally: Tally
    reviews: Reviews
    index: dict[str, int]
    conduct: Conducts
    use_rates: dict[str, FloatArray]
    repairs: Applications


def _store(loaded: LoadedScenario) -> RecordStore:
    codes = tuple(h.item for h in loaded.scenario.conduct.hazards)
    found = {c: i for _m, p in loaded.policy_sets for c, i in p.items.items()}
    authorities = tuple(found[c].authority or "Synthetic agency" for c in codes)
    negative = np.array([found[c].polarity is Polarity.NEGATIVE for c in codes], dtype=bool)
    return RecordStore(codes, authorities, negative)


def new_lab(loaded: LoadedScenario, replicate: int) -> Lab:
    s = loaded.scenario
    population = build_population(
        s.population.persons, s.population.organisations, s.seed + replicate, s.start
    )
    store = _store(loaded)
    sets = [p for _m, p in loaded.policy_sets]
    size = population.size
    states = (WorldState.empty(size, sets), WorldState.empty(size, sets))
    found = {c: p for _m, p in reversed(loaded.policy_sets) for c in p.items}
    days = np.array([found[c].review_days(c) for c in store.items], dtype=np.int64)
    reviews = Reviews.of(s.due_process, store.authorities, days)
    index = {sid: i for i, sid in enumerate(population.ids)}
    model = conducts(population, s.conduct)
    rates = _use_rates(loaded, population)
    apps = Applications(s.due_process.repairs)
    return Lab(loaded, population, store, states, Tally(size), reviews, index, model, rates, apps)


def _month(loaded: LoadedScenario, m: int) -> Month:
    first = day_number(add_months(loaded.scenario.start, m))
    return Month(m, first, day_number(add_months(loaded.scenario.start, m + 1)) - 1)


def _use_rates(loaded: LoadedScenario, population: LabPopulation) -> dict[str, FloatArray]:
    """Mean attempts per month at each service, per subject."""
    is_person = population.is_person
    return {
        use.service: np.where(is_person, use.person, use.organisation).astype(np.float64)
        for use in loaded.scenario.service_use
    }


def _assess(lab: Lab, month: Month, changed: bool) -> None:
    policies = lab.loaded.policies_at(month.index)
    for world, state in zip(World, lab.states, strict=True):
        if changed:
            subjects = np.unique(lab.store.subject_of(world)[lab.store.present(world)])
        else:
            touched = lab.store.touched(world, month.first - 1, month.last)
            due = np.nonzero((state.next_change != NONE) & (state.next_change <= month.last))[0]
            subjects = np.union1d(touched, due)
        job = ScoreJob(policies, world, subjects.astype(np.int64), month.last)
        rescore(lab.store, state, job, lab.population, lab.index)


def step(rng: np.random.Generator, lab: Lab, month: Month) -> None:
    s = lab.loaded.scenario
    observed, true = lab.states
    lab.tally.services(month.index, rng, lab.use_rates, lab.states)
    lab.tally.restriction_days(month.index, month.days, lab.states)
    model = lab.conduct
    deterrence = multipliers(model, observed.on_kind("black"), observed.scores)
    lab.tally.add(month.index, "deterred", deterred_expectation(model, deterrence))
    new = new_records(rng, model, deterrence, month)
    rates = ErrorRates.of(lab.store.authorities, s.data_errors)
    notice = (s.conduct.notice_delay_days, lab.store.negative)
    filed = file_records(rng, new, rates, lab.population.is_person, notice)
    lab.store.append(filed)
    lab.tally.add(month.index, "new_records", len(new[0]))
    lab.tally.add(month.index, "erroneous_records", int((filed["error"] != Error.NONE).sum()))
    comply(rng, lab.store, s.conduct.compliance.monthly, month)
    objections, late = object_and_review(rng, lab.store, lab.reviews, month)
    lab.tally.add(month.index, "objections", objections)
    lab.tally.add(month.index, "objections_late", late)
    _repairs(rng, lab, month)
    changed = month.index > 0 and lab.loaded.policies_at(month.index) is not (
        lab.loaded.policies_at(month.index - 1)
    )
    _assess(lab, month, changed)
    lab.tally.stocks(month.index, observed, true)


def _repairs(rng: np.random.Generator, lab: Lab, month: Month) -> None:
    """Decide the applications due this month, then file and schedule the month's own (some
    of which are decided within the month). No draw is made when nobody applies."""
    granted, refused = decide_due(lab.store, lab.repairs, month)
    filed = late = 0
    if lab.repairs.model.monthly > 0:
        lists = repair_lists(lab.loaded.policies_at(month.index), lab.store)
        intake = Intake(lists, lab.states[0], lab.reviews)
        filed, late = apply_and_schedule(rng, lab.repairs, intake, month)
        more_granted, more_refused = decide_due(lab.store, lab.repairs, month)
        granted, refused = granted + more_granted, refused + more_refused
    lab.tally.add(month.index, "repair_applications", filed)
    lab.tally.add(month.index, "repairs_late", late)
    lab.tally.add(month.index, "repairs_granted", granted)
    lab.tally.add(month.index, "repairs_refused", refused)


def corrections(store: RecordStore) -> dict[str, float]:
    """Erroneous filed records: how many were corrected, and the days it took."""
    wrong = (store["error"] != Error.NONE) & (store["subject"] != NONE)
    fixed = wrong & (store["outcome"] == REVOKED)
    days = (store["dispute_decided"] - store["decided"])[fixed]
    return {
        "erroneous_filed": float(wrong.sum()),
        "corrected": float(fixed.sum()),
        "days_to_correction_mean": float(days.mean()) if len(days) else float("nan"),
        "days_to_correction_median": float(np.median(days)) if len(days) else float("nan"),
    }


def run_replicate(loaded: LoadedScenario, replicate: int, observer: Observer | None = None) -> Lab:
    lab = new_lab(loaded, replicate)
    rng = np.random.default_rng([loaded.scenario.seed, 7, replicate])
    for m in range(loaded.scenario.horizon_months):
        month = _month(loaded, m)
        step(rng, lab, month)
        if observer is not None:
            observer(lab, month)
    return lab
