"""What a replicate counts, month by month and per subject, from both worlds' states.

A subject is *wrongly listed* when the observed world has it on a black list that the true
world (the genuine records, notified on time) does not; *wrongly restricted* when some
service denies or restricts it in the observed world and not in the true one. Months are
counted at the state assessed at their start, which is the state a service checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from socialcredit.sim.lab.population import BoolArray, FloatArray
from socialcredit.sim.lab.scoring import EFFECTS, WorldState

DENY = EFFECTS.index("deny")
BENEFIT = EFFECTS.index("benefit")


def wrongly_listed(observed: WorldState, true: WorldState) -> BoolArray:
    out = np.zeros(len(observed.next_change), bool)
    for lid, members in observed.lists.items():
        if observed.list_kinds[lid] == "black":
            out |= members & ~true.lists[lid]
    return out


def missed_listed(observed: WorldState, true: WorldState) -> BoolArray:
    out = np.zeros(len(observed.next_change), bool)
    for lid, members in true.lists.items():
        if true.list_kinds[lid] == "black":
            out |= members & ~observed.lists[lid]
    return out


def wrongly_restricted(observed: WorldState, true: WorldState) -> BoolArray:
    out = np.zeros(len(observed.next_change), bool)
    for service, effects in observed.effects.items():
        out |= (effects >= EFFECTS.index("restrict")) & (true.effects[service] < effects)
    return out


@dataclass
class Tally:
    """Rows ``(month, measure, value)`` and the per-subject totals of one replicate."""

    size: int
    rows: list[tuple[int, str, float]] = field(default_factory=list)
    ever_listed: BoolArray = field(init=False)
    ever_wrong: BoolArray = field(init=False)
    wrongful_days: FloatArray = field(init=False)
    previous_black: BoolArray = field(init=False)

    def __post_init__(self) -> None:
        self.ever_listed = np.zeros(self.size, bool)
        self.ever_wrong = np.zeros(self.size, bool)
        self.wrongful_days = np.zeros(self.size)
        self.previous_black = np.zeros(self.size, bool)

    def add(self, month: int, measure: str, value: float) -> None:
        self.rows.append((month, measure, float(value)))

    def services(
        self,
        month: int,
        rng: np.random.Generator,
        rates: dict[str, FloatArray],
        states: tuple[WorldState, WorldState],
    ) -> None:
        """Attempts at each service (Poisson, ``rates`` per subject), and what they met.

        Only subjects whose decision is not ``allow`` in either world are drawn one by one;
        the others' attempts are one Poisson draw of their summed rate (the same law)."""
        observed, true = states
        for service, rate in rates.items():
            effect, truth = observed.effects[service], true.effects[service]
            relevant = np.nonzero((effect != 0) | (truth != 0))[0]
            counts = rng.poisson(rate[relevant])
            others = max(float(rate.sum()) - float(rate[relevant].sum()), 0.0)
            effect, truth = effect[relevant], truth[relevant]
            denied = effect == DENY
            withheld = (truth == BENEFIT) & (effect != BENEFIT)
            self.add(month, f"attempts:{service}", rng.poisson(others) + counts.sum())
            self.add(month, f"denied:{service}", counts[denied].sum())
            self.add(month, f"wrongly_denied:{service}", counts[denied & (truth != DENY)].sum())
            self.add(month, f"benefits:{service}", counts[effect == BENEFIT].sum())
            self.add(month, f"benefits_withheld:{service}", counts[withheld].sum())
            granted = (effect == BENEFIT) & (truth != BENEFIT)
            self.add(month, f"benefits_wrongly_granted:{service}", counts[granted].sum())

    def restriction_days(self, month: int, days: int, states: tuple[WorldState, ...]) -> None:
        wrong = wrongly_restricted(states[0], states[1])
        self.wrongful_days[wrong] += days
        self.add(month, "wrongful_restriction_days", wrong.sum() * days)

    def stocks(self, month: int, observed: WorldState, true: WorldState) -> None:
        black = observed.on_kind("black")
        wrong = wrongly_listed(observed, true)
        self.ever_listed |= black
        self.ever_wrong |= wrong
        self.add(month, "listed", black.sum())
        self.add(month, "listed_true", true.on_kind("black").sum())
        self.add(month, "red_listed", observed.on_kind("red").sum())
        self.add(month, "wrongly_listed", wrong.sum())
        self.add(month, "missed_listed", missed_listed(observed, true).sum())
        self.add(month, "entries", (black & ~self.previous_black).sum())
        self.add(month, "exits", (~black & self.previous_black).sum())
        self.add(month, "restricted", observed.restricted().sum())
        self.add(month, "wrongly_restricted", wrongly_restricted(observed, true).sum())
        self.add(month, "ever_wrongly_listed", self.ever_wrong.sum())
        self.previous_black = black
