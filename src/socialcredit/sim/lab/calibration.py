"""Calibration: a run's baseline set against the courts' published figures, gap by gap.

The figures are those of ``docs/simulation.md`` (from the courts' releases as reported; see
its sources): the share of residents on the defaulter list in July 2019, and the flight and
rail purchases blocked per listed person and year between the end of 2017 and July 2019.
Releases sometimes count entries rather than unique people; the gaps are shown, not hidden.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from socialcredit.sim.lab.charts import monthly_means
from socialcredit.sim.lab.compare import read_summary

LISTED_2017, LISTED_2019 = 9.59e6, 14.5e6
MEAN_LISTED = (LISTED_2017 + LISTED_2019) / 2
YEARS = 19 / 12  # end of 2017 to July 2019
RESIDENTS = 1.4e9


@dataclass(frozen=True)
class Figure:
    name: str
    published: float
    source: str
    lab: float | None

    @property
    def gap(self) -> float | None:
        """Lab over published, minus one (0: no gap)."""
        return None if self.lab is None else self.lab / self.published - 1


def _per_listed_year(run: Path, service: str) -> float | None:
    series = pq.read_table(run / "timeseries.parquet")
    listed = monthly_means(series, "listed")
    denied = monthly_means(series, f"denied:{service}")
    if not denied or sum(listed) == 0:
        return None
    return sum(denied) / (sum(listed) / 12)


def calibrate(run: Path) -> list[Figure]:
    summary = read_summary(run)
    totals = summary["totals"]
    share = totals["listed"]["mean"] / totals["subjects"]["mean"]
    return [
        Figure(
            "share of residents on the defaulter list",
            LISTED_2019 / RESIDENTS,
            "SPC, July 2019: more than 14.5 M listed; about 1.4 billion residents",
            share,
        ),
        Figure(
            "flight purchases blocked per listed person-year",
            (27.3e6 - 9.36e6) / MEAN_LISTED / YEARS,
            "SPC: 9.36 M blocked by end 2017, about 27.3 M by July 2019; 9.59 M and 14.5 M listed",
            _per_listed_year(run, "flight-booking"),
        ),
        Figure(
            "high-speed rail purchases blocked per listed person-year",
            (6.0e6 - 3.67e6) / MEAN_LISTED / YEARS,
            "SPC: 3.67 M blocked by end 2017, about 6 M by July 2019; 9.59 M and 14.5 M listed",
            _per_listed_year(run, "rail-high-speed"),
        ),
    ]
