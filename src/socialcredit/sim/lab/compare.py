"""Compare two runs: for each total both report, B minus A with a 95% Welch interval."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from socialcredit.errors import InputError
from socialcredit.sim.lab.stats import Estimate, difference


@dataclass(frozen=True)
class Difference:
    measure: str
    a: float | None
    b: float | None
    change: Estimate

    @property
    def significant(self) -> bool:
        low, high = self.change.low, self.change.high
        return low is not None and high is not None and (low > 0 or high < 0)


def read_summary(run: Path) -> dict[str, Any]:
    path = run / "summary.json"
    if not path.is_file():
        raise InputError(f"not a simulation run (no summary.json): {run}", {"path": str(run)})
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _values(total: dict[str, Any]) -> list[float]:
    return [float("nan") if v is None else float(v) for v in total["replicates"]]


def compare_runs(a: Path, b: Path) -> list[Difference]:
    first, second = read_summary(a)["totals"], read_summary(b)["totals"]
    return [
        Difference(
            name,
            first[name]["mean"],
            second[name]["mean"],
            difference(_values(first[name]), _values(second[name])),
        )
        for name in sorted(set(first) & set(second))
    ]
