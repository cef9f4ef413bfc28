"""A replicate's results as tables: the monthly series, the groups and the totals.

Flows (records, entries, attempts, denials, person-days...) are summed over the horizon;
stocks (listed, wrongly listed, restricted...) are read at the last month. Disparate impact is
the rate of being ever listed, and ever wrongly listed, within each region, age band, subject
kind and sector.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from socialcredit.sim.lab.replicate import Lab, corrections

STOCKS = (
    "listed",
    "listed_true",
    "red_listed",
    "wrongly_listed",
    "missed_listed",
    "restricted",
    "wrongly_restricted",
    "ever_wrongly_listed",
)
DIMENSIONS = ("region", "age_band", "kind", "sector")


@dataclass(frozen=True)
class ReplicateResult:
    replicate: int
    series: pa.Table
    groups: pa.Table
    totals: dict[str, float]


def _series(lab: Lab, replicate: int) -> pa.Table:
    rows = sorted(lab.tally.rows)
    return pa.table(
        {
            "replicate": pa.array([replicate] * len(rows), pa.int32()),
            "month": pa.array([r[0] for r in rows], pa.int32()),
            "measure": pa.array([r[1] for r in rows], pa.string()),
            "value": pa.array([r[2] for r in rows], pa.float64()),
        }
    )


def _groups(lab: Lab, replicate: int) -> pa.Table:
    columns: dict[str, list[object]] = {
        k: [] for k in ("dimension", "group", "subjects", "ever_listed", "ever_wrongly_listed")
    }
    columns["wrongful_restriction_days"] = []
    tally = lab.tally
    for dimension in DIMENSIONS:
        groups = lab.population.groups[dimension]
        for code, name in enumerate(groups.names):
            mine = groups.codes == code
            columns["dimension"].append(dimension)
            columns["group"].append(name)
            columns["subjects"].append(int(mine.sum()))
            columns["ever_listed"].append(int(tally.ever_listed[mine].sum()))
            columns["ever_wrongly_listed"].append(int(tally.ever_wrong[mine].sum()))
            columns["wrongful_restriction_days"].append(float(tally.wrongful_days[mine].sum()))
    table = pa.table(columns)
    return table.append_column(
        "replicate", pa.array([replicate] * table.num_rows, pa.int32())
    ).select(["replicate", *columns])


def _totals(lab: Lab) -> dict[str, float]:
    last = max(month for month, _m, _v in lab.tally.rows)
    totals: dict[str, float] = {}
    for month, measure, value in lab.tally.rows:
        if measure in STOCKS:
            if month == last:
                totals[measure] = value
        else:
            totals[measure] = totals.get(measure, 0.0) + value
    totals["ever_listed"] = float(lab.tally.ever_listed.sum())
    totals["subjects"] = float(lab.population.size)
    waits = lab.reviews.waits
    totals["review_wait_days_mean"] = float(np.mean(waits)) if waits else float("nan")
    grants = lab.repairs.days_to_grant
    totals["repair_days_to_exit_mean"] = float(np.mean(grants)) if grants else float("nan")
    totals.update(corrections(lab.store))
    return totals


def results_of(lab: Lab, replicate: int) -> ReplicateResult:
    return ReplicateResult(
        replicate, _series(lab, replicate), _groups(lab, replicate), _totals(lab)
    )
