"""Credit repair applications, decided by the owning authority's reviewers.

Each month, a subject on a list with a repair procedure (as the assessment in force at the
start of the month has it) and no application pending for that list applies with the
scenario's monthly probability, on a uniform day of the month. The application joins the
reviewers' queue of the authority that decides the list's entry items (the objection queue);
the reviewer finds the procedure met with the scenario's probability. A grant resolves, on the
decision day, the applicant's open records of the list's entry items, as the registry's
``decide_repair`` does, so the listing ends that day under the engine's semantics unless other
records keep it. A record filed under the wrong subject is not resolved by the applicant's
repair (its true subject's obligation stands): objections clear those.

The engine has no rule that suspends a listing while a repair application is overdue (the
registry notifies the subject and keeps the application first in the queue), so an application
decided past the list's ``repair.decision_days``, or never, is counted as late and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from socialcredit.policy import PolicySet
from socialcredit.sim.lab.conduct import Month
from socialcredit.sim.lab.dueprocess import Reviews
from socialcredit.sim.lab.population import BoolArray, FloatArray, IntArray
from socialcredit.sim.lab.scoring import WorldState
from socialcredit.sim.lab.store import NONE, Error, RecordStore
from socialcredit.sim.scenario import Repairs

NEVER = float("inf")


@dataclass(frozen=True)
class RepairList:
    """A list with a repair procedure, as the lab needs it."""

    list_id: str
    items: BoolArray
    """Per store item: whether it is one of the list's entry items."""
    decision_days: int
    authority: int | None
    """Index of the deciding authority among the store's sorted authorities."""


@dataclass
class Pending:
    """Applications not yet decided (parallel arrays)."""

    subject: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    list_id: list[str] = field(default_factory=list)
    applied: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    decide: FloatArray = field(default_factory=lambda: np.zeros(0, np.float64))
    grant: BoolArray = field(default_factory=lambda: np.zeros(0, bool))


@dataclass
class Applications:
    model: Repairs
    pending: Pending = field(default_factory=Pending)
    items: dict[str, BoolArray] = field(default_factory=dict)
    """Per list applied to: its entry items (per store item)."""
    days_to_grant: list[int] = field(default_factory=list)


def repair_lists(policies: PolicySet, store: RecordStore) -> list[RepairList]:
    names = sorted(set(store.authorities))
    found = []
    for list_id, lst in sorted(policies.lists.items()):
        if lst.repair is None:
            continue
        codes = {e.item for e in lst.entry.items}
        items = np.array([code in codes for code in store.items], dtype=bool)
        owners = sorted({store.authorities[i] for i in np.nonzero(items)[0].tolist()})
        authority = names.index(owners[0]) if owners else None
        found.append(RepairList(list_id, items, lst.repair.decision_days, authority))
    return found


def decide_due(store: RecordStore, apps: Applications, month: Month) -> tuple[int, int]:
    """Decide the applications whose decision falls in ``month``; return (granted, refused)."""
    p = apps.pending
    due = p.decide <= month.last
    granted_rows = np.nonzero(due & p.grant)[0]
    days = p.decide[granted_rows].astype(np.int64)
    apps.days_to_grant.extend((days - p.applied[granted_rows]).tolist())
    for list_id, items in sorted(apps.items.items()):
        mine = np.array([p.list_id[r] == list_id for r in granted_rows.tolist()], dtype=bool)
        _resolve(store, items, p.subject[granted_rows[mine]], days[mine])
    keep = ~due
    apps.pending = Pending(
        p.subject[keep],
        [lid for lid, k in zip(p.list_id, keep.tolist(), strict=True) if k],
        p.applied[keep],
        p.decide[keep],
        p.grant[keep],
    )
    return len(granted_rows), int(due.sum()) - len(granted_rows)


def _resolve(store: RecordStore, items: BoolArray, subjects: IntArray, days: IntArray) -> None:
    """Resolve, on each granted subject's decision day, its open records of ``items`` decided
    by then (one application per subject and list is pending at a time)."""
    if len(subjects) == 0:
        return
    order = np.argsort(subjects)
    subjects, days = subjects[order], days[order]
    rows = np.nonzero(
        (store["resolved"] == NONE)
        & items[store["item"]]
        & store.negative[store["item"]]
        & (store["error"] != Error.MISATTRIBUTED)
        & np.isin(store["subject"], subjects)
    )[0]
    day = days[np.searchsorted(subjects, store["subject"][rows])]
    rows, day = rows[store["decided"][rows] <= day], day[store["decided"][rows] <= day]
    store["resolved"][rows] = np.maximum(store["decided"][rows], day)


@dataclass(frozen=True)
class Intake:
    """What one month's applications read: the lists, the assessment and the queues."""

    lists: list[RepairList]
    observed: WorldState
    reviews: Reviews


def apply_and_schedule(
    rng: np.random.Generator, apps: Applications, intake: Intake, month: Month
) -> tuple[int, int]:
    """File the month's applications and schedule their decisions; return how many were filed
    and how many will be decided past the list's deadline (or never: no reviewers)."""
    filed = late = 0
    for lst in intake.lists:
        members = intake.observed.lists.get(lst.list_id)
        if members is None:
            continue
        waiting = np.array([lid == lst.list_id for lid in apps.pending.list_id], dtype=bool)
        eligible = members.copy()
        eligible[apps.pending.subject[waiting]] = False
        who = np.nonzero(eligible)[0]
        who = who[rng.random(len(who)) < apps.model.monthly]
        applied = month.first + rng.random(len(who)) * month.days
        order = np.argsort(applied, kind="stable")
        who, applied = who[order], applied[order]
        queue = intake.reviews.queues.get(lst.authority) if lst.authority is not None else None
        if queue is None:
            decide = np.full(len(who), NEVER)
        else:
            _starts, decide = queue.serve(rng, applied)
        grant = rng.random(len(who)) < apps.model.granted
        deadline = applied.astype(np.int64) + lst.decision_days
        late += int((decide >= deadline + 1).sum())
        apps.items[lst.list_id] = lst.items
        filed += len(who)
        p = apps.pending
        apps.pending = Pending(
            np.concatenate([p.subject, who.astype(np.int64)]),
            p.list_id + [lst.list_id] * len(who),
            np.concatenate([p.applied, applied.astype(np.int64)]),
            np.concatenate([p.decide, decide]),
            np.concatenate([p.grant, grant]),
        )
    return filed, late
