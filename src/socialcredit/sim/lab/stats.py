"""Means and 95% confidence intervals over replicate seeds (Student's t)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import mean, stdev

_T975 = (
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
    2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
    2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
)  # fmt: skip
"""The 97.5% quantile of Student's t with 1..30 degrees of freedom."""


def t975(df: int) -> float:
    return _T975[df - 1] if df <= len(_T975) else 1.96


@dataclass(frozen=True)
class Estimate:
    """A mean over replicates and its 95% interval (``None`` with a single replicate)."""

    mean: float
    low: float | None
    high: float | None
    n: int

    def as_dict(self) -> dict[str, float | int | None]:
        return {"mean": self.mean, "low": self.low, "high": self.high, "n": self.n}

    def render(self, digits: int = 1) -> str:
        if math.isnan(self.mean):
            return "n/a"
        text = f"{self.mean:,.{digits}f}"
        if self.low is None or self.high is None:
            return text
        return f"{text} [{self.low:,.{digits}f}, {self.high:,.{digits}f}]"


def estimate(values: list[float]) -> Estimate:
    finite = [v for v in values if not math.isnan(v)]
    if not finite:
        return Estimate(float("nan"), None, None, 0)
    centre = mean(finite)
    if len(finite) < 2:
        return Estimate(centre, None, None, len(finite))
    half = t975(len(finite) - 1) * stdev(finite) / math.sqrt(len(finite))
    return Estimate(centre, centre - half, centre + half, len(finite))


def difference(a: list[float], b: list[float]) -> Estimate:
    """B minus A, with a Welch interval (replicates of two runs are independent)."""
    a = [v for v in a if not math.isnan(v)]
    b = [v for v in b if not math.isnan(v)]
    if not a or not b:
        return Estimate(float("nan"), None, None, 0)
    centre = mean(b) - mean(a)
    if len(a) < 2 or len(b) < 2:
        return Estimate(centre, None, None, min(len(a), len(b)))
    va, vb = stdev(a) ** 2 / len(a), stdev(b) ** 2 / len(b)
    se = math.sqrt(va + vb)
    if se == 0:
        return Estimate(centre, centre, centre, min(len(a), len(b)))
    df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
    half = t975(max(1, int(df))) * se
    return Estimate(centre, centre - half, centre + half, min(len(a), len(b)))
