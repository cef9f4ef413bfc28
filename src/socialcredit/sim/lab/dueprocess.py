"""Due process: objections to newly notified records, reviewed by each authority's queue.

A subject objects to a record served on it this month with one probability if the record is
wrong and another if it is right, within a week of the notice. The deciding authority's
reviewers take objections first come, first served; a wrong record is revoked, a right one
upheld. The engine's own rule then suspends a record whose objection is undecided past the
policy's review deadline, exactly as in production.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from socialcredit.sim.lab.conduct import Month
from socialcredit.sim.lab.population import IntArray
from socialcredit.sim.lab.queueing import ReviewQueue
from socialcredit.sim.lab.store import NONE, OUTCOMES, Error, RecordStore
from socialcredit.sim.scenario import DueProcess

REVOKED = OUTCOMES.index("revoked")
UPHELD = OUTCOMES.index("upheld")


@dataclass
class Reviews:
    """The queues by authority index (``None``: nobody reviews that authority's objections)."""

    queues: dict[int, ReviewQueue]
    wrong: float
    right: float
    waits: list[float]
    review_days: IntArray
    """Per item: the policy's review deadline (days after the objection)."""

    @classmethod
    def of(cls, model: DueProcess, authorities: tuple[str, ...], days: IntArray) -> Reviews:
        queues = {}
        for index, name in enumerate(sorted(set(authorities))):
            for reviewers in model.reviewers:
                if reviewers.authority == name:
                    queues[index] = ReviewQueue(reviewers.reviewers, reviewers.mean_review_days)
        return cls(queues, model.objections.wrong, model.objections.right, [], days)


def object_and_review(
    rng: np.random.Generator, store: RecordStore, reviews: Reviews, month: Month
) -> tuple[int, int]:
    """File the month's objections and schedule their decisions; return how many were filed
    and how many will be decided after the review deadline (or never: no reviewers), which
    suspends the record from the deadline to the decision."""
    notified = store["notified"]
    served = (notified >= month.first) & (notified <= month.last)
    rows = np.nonzero(served & (store["subject"] != NONE) & (store["disputed"] == NONE))[0]
    wrong = store["error"][rows] != Error.NONE
    chance = np.where(wrong, reviews.wrong, reviews.right)
    rows = rows[rng.random(len(rows)) < chance]
    arrival = np.minimum(notified[rows] + rng.random(len(rows)) * 7, month.last + 0.999)
    store["disputed"][rows] = arrival.astype(np.int64)
    names = sorted(set(store.authorities))
    authority = np.array([names.index(store.authorities[i]) for i in store["item"][rows]])
    late = len(rows)
    for index, queue in sorted(reviews.queues.items()):
        mine = np.nonzero(authority == index)[0] if len(rows) else np.zeros(0, dtype=np.int64)
        mine = mine[np.argsort(arrival[mine], kind="stable")]
        starts, ends = queue.serve(rng, arrival[mine])
        reviews.waits.extend((starts - arrival[mine]).tolist())
        decided = rows[mine]
        store["dispute_decided"][decided] = ends.astype(np.int64)
        is_wrong = store["error"][decided] != Error.NONE
        store["outcome"][decided] = np.where(is_wrong, REVOKED, UPHELD)
        deadline = store["disputed"][decided] + reviews.review_days[store["item"][decided]]
        late -= int((store["dispute_decided"][decided] <= deadline).sum())
    return len(rows), late
