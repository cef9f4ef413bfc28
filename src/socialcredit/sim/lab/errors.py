"""Data errors: how each agency's new records are filed wrong.

Per agency, each new record is independently misattributed (filed under another subject of
the same kind: a valid identifier, as a typo that passes the check character produces), or
filed under a legacy code that links to no subject; filed a second time under another record
id; and its notice is served late or never. The lab keeps what happened to each record.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from socialcredit.sim.lab.population import BoolArray, IntArray
from socialcredit.sim.lab.store import NONE, Error
from socialcredit.sim.scenario import AgencyErrors


@dataclass(frozen=True)
class ErrorRates:
    """Per item (by its agency) rates, as arrays indexed by item."""

    misattribution: np.ndarray
    duplicate: np.ndarray
    late_notice: np.ndarray
    late_days: IntArray
    failed_notice: np.ndarray
    unlinked: np.ndarray

    @classmethod
    def of(cls, authorities: tuple[str, ...], agencies: list[AgencyErrors]) -> ErrorRates:
        by_agency = {a.agency: a for a in agencies}
        none = AgencyErrors(agency="")
        rows = [by_agency.get(a, none) for a in authorities]

        def column(name: str) -> np.ndarray:
            return np.array([getattr(r, name) for r in rows], dtype=np.float64)

        return cls(
            column("misattribution"),
            column("duplicate"),
            column("late_notice"),
            np.array([r.late_notice_days for r in rows], dtype=np.int64),
            column("failed_notice"),
            column("unlinked"),
        )


def _other_of_kind(rng: np.random.Generator, subject: IntArray, is_person: BoolArray) -> IntArray:
    """A different subject of the same kind, uniformly."""
    persons = int(is_person.sum())
    sizes = np.where(is_person[subject], persons, len(is_person) - persons)
    offsets = np.where(is_person[subject], 0, persons)
    own = subject - offsets
    shift = 1 + (rng.random(len(subject)) * np.maximum(sizes - 1, 1)).astype(np.int64)
    other = np.where(sizes > 1, (own + shift) % np.maximum(sizes, 1), own)
    return np.asarray(offsets + other, dtype=np.int64)


def file_records(
    rng: np.random.Generator,
    new: tuple[IntArray, IntArray, IntArray],
    rates: ErrorRates,
    is_person: BoolArray,
    notice: tuple[int, BoolArray],
) -> dict[str, IntArray]:
    """The store columns of the month's new records, duplicates appended after them.

    ``notice`` is the delay of a notice served on time and, per item, whether it is negative
    (a positive record is served no notice)."""
    notice_delay, negative = notice
    item, subject, decided = new
    n = len(item)
    draws = rng.random((5, n))
    misattributed = draws[0] < rates.misattribution[item]
    unlinked = ~misattributed & (draws[1] < rates.unlinked[item])
    late = draws[2] < rates.late_notice[item]
    failed = ~late & (draws[3] < rates.failed_notice[item])
    duplicated = np.nonzero(draws[4] < rates.duplicate[item])[0]
    filed = np.where(misattributed, _other_of_kind(rng, subject, is_person), subject)
    filed = np.where(unlinked, NONE, filed)
    on_time = np.where(negative[item], decided + notice_delay, NONE)
    notified = np.where(late, on_time + rates.late_days[item], on_time)
    notified = np.where(failed | ~negative[item], NONE, notified)
    error = np.select([misattributed, unlinked], [Error.MISATTRIBUTED, Error.UNLINKED], Error.NONE)
    columns = {
        "item": item,
        "true_subject": subject,
        "subject": filed,
        "error": error.astype(np.int64),
        "decided": decided,
        "notified": notified,
        "true_notified": on_time,
    }
    dup = {name: values[duplicated] for name, values in columns.items()}
    dup["error"] = np.full(len(duplicated), int(Error.DUPLICATE), dtype=np.int64)
    out = {name: np.concatenate([columns[name], dup[name]]) for name in columns}
    blank = np.full(len(out["item"]), NONE, dtype=np.int64)
    for name in ("resolved", "disputed", "dispute_decided"):
        out[name] = blank.copy()
    out["outcome"] = np.zeros(len(out["item"]), dtype=np.int64)
    return out
