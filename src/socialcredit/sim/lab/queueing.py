"""Objection review as a first-come first-served queue with several reviewers (M/M/c).

Each authority has ``c`` reviewers; an objection waits for the first free reviewer, whose
review takes an exponential time. The Erlang C formula gives the theory the lab is tested
against (``tests/sim/test_theory.py``).
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass
class ReviewQueue:
    """Reviewers of one authority; ``free_at`` holds when each is next free (days)."""

    reviewers: int
    mean_days: float
    free_at: list[float] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.free_at:
            self.free_at = [0.0] * self.reviewers
            heapq.heapify(self.free_at)

    def serve(
        self, rng: np.random.Generator, arrivals: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Start and end times of the reviews of ``arrivals`` (in ascending order)."""
        service = rng.exponential(self.mean_days, len(arrivals))
        starts = np.empty(len(arrivals))
        for i, arrival in enumerate(arrivals.tolist()):
            free = heapq.heappop(self.free_at)
            starts[i] = max(free, arrival)
            heapq.heappush(self.free_at, starts[i] + float(service[i]))
        return starts, starts + service


def erlang_c(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Probability that an arrival waits (Erlang C); the queue must be stable."""
    load = arrival_rate / service_rate
    rho = load / servers
    if rho >= 1:
        raise ValueError("the queue is unstable (utilisation >= 1)")
    head = sum(load**k / math.factorial(k) for k in range(servers))
    tail = load**servers / math.factorial(servers) / (1 - rho)
    return tail / (head + tail)


def mean_wait(servers: int, arrival_rate: float, service_rate: float) -> float:
    """Mean time in the queue before a review starts."""
    c = erlang_c(servers, arrival_rate, service_rate)
    return c / (servers * service_rate - arrival_rate)


def late_share(servers: int, arrival_rate: float, service_rate: float, deadline: float) -> float:
    """Probability that a review ends after ``deadline`` (wait plus review, FIFO M/M/c)."""
    c = erlang_c(servers, arrival_rate, service_rate)
    gap = servers * service_rate - arrival_rate
    mu = service_rate
    if math.isclose(gap, mu):
        return math.exp(-mu * deadline) * (1 + c * mu * deadline)
    extra = c * mu / (gap - mu) * (math.exp(-mu * deadline) - math.exp(-gap * deadline))
    return math.exp(-mu * deadline) + extra
