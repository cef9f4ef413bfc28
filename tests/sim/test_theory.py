"""The lab against known results: M/M/c queueing (Erlang C) and binomial error injection."""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import numpy as np
import pytest

from socialcredit.policy.durations import add_months
from socialcredit.sim.lab.queueing import ReviewQueue, late_share, mean_wait
from socialcredit.sim.lab.replicate import run_replicate
from socialcredit.sim.lab.scoring import day_number
from socialcredit.sim.lab.store import Error
from socialcredit.sim.scenario_loader import load_scenario
from tests.sim.scenarios import POLICIES, write

BATCHES = 40


def _batch_mean(values: np.ndarray) -> tuple[float, float]:
    """Mean and its standard error by batch means (queue samples are correlated)."""
    means = np.array([b.mean() for b in np.array_split(values, BATCHES)])
    return float(means.mean()), float(means.std(ddof=1) / math.sqrt(BATCHES))


@pytest.mark.parametrize(
    ("servers", "arrivals_per_day", "mean_days"), [(1, 0.8, 1.0), (3, 2.0, 1.2)]
)
def test_review_queue_agrees_with_erlang_c(
    servers: int, arrivals_per_day: float, mean_days: float
) -> None:
    rng = np.random.default_rng(20)
    n, warm_up, deadline = 120_000, 5_000, 4.0
    arrivals = np.cumsum(rng.exponential(1 / arrivals_per_day, n))
    starts, ends = ReviewQueue(servers, mean_days).serve(rng, arrivals)
    waits = (starts - arrivals)[warm_up:]
    late = ((ends - arrivals) > deadline)[warm_up:].astype(float)
    mu = 1 / mean_days
    for measured, theory in (
        (waits, mean_wait(servers, arrivals_per_day, mu)),
        (late, late_share(servers, arrivals_per_day, mu, deadline)),
    ):
        estimate, error = _batch_mean(measured)
        assert abs(estimate - theory) < 4 * error, (estimate, theory, error)
        assert error < 0.1 * theory  # the check has power: the interval is tight


def test_late_share_formula_matches_its_special_case() -> None:
    # with one server the sojourn time is exponential with rate mu - lambda
    assert late_share(1, 0.5, 1.0, 3.0) == pytest.approx(math.exp(-0.5 * 3.0))
    # and at c * mu - lambda == mu the general form has its limit
    assert late_share(2, 1.0, 1.0, 2.0) == pytest.approx(late_share(2, 1.0 - 1e-7, 1.0, 2.0))


ERRORS = f"""scenario: {{id: binomial, title: Misattribution at rate p}}
seed: 3
start: 2025-01-01
horizon_months: 3
population: {{persons: 20000, organisations: 0}}
policies: ["{POLICIES / "judgment-defaulters.yaml"}"]
conduct:
  hazards:
    - {{item: SPC-EVADE, person: 0.01}}
  notice_delay_days: 5
data_errors:
  - {{agency: "The enforcing people's court", misattribution: 0.05}}
"""


def test_wrongful_listings_agree_with_the_binomial_expectation() -> None:
    p = 0.05
    with tempfile.TemporaryDirectory() as tmp:
        loaded = load_scenario(write(Path(tmp), ERRORS))
        lab = run_replicate(loaded, 0)
    store = lab.store
    last_day = day_number(add_months(loaded.scenario.start, 3)) - 1
    # a record lists its subject 5 (notice) + 7 (notice period) days after its decision, so
    # those of the last days are not yet in effect on the last assessment day
    effective = store["decided"] + 12 <= last_day
    genuine = store["error"] != Error.DUPLICATE
    n = int((effective & genuine).sum())
    truly_listed = lab.states[1].on_kind("black").mean()
    expected = n * p * (1 - truly_listed)
    sd = math.sqrt(n * p * (1 - p))
    wrongly = int(lab.tally.ever_wrong.sum())
    assert n > 400
    assert abs(wrongly - expected) < 4 * sd, (wrongly, expected, sd)
    misattributed = int((store["error"] == Error.MISATTRIBUTED).sum())
    assert abs(misattributed - len(store) * p) < 4 * math.sqrt(len(store) * p * (1 - p))
