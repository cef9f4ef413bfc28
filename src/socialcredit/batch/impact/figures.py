"""The figures of an impact report, aggregated from the comparison tables.

The comparison tables are already counted by kind, region and sector, so they hold at most a
few thousand rows whatever the population: these functions work on them in Python.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pyarrow as pa

from socialcredit.batch.impact.compare import NONE
from socialcredit.policy import PolicySet

Row = dict[str, Any]
SEVERITY = {"benefit": 0, "allow": 1, "restrict": 2, "deny": 3}
"""Effects from the mildest to the strictest, to tell a stricter decision from a milder one."""
BREAKDOWNS = ("kind", "region", "sector")


def rows(table: pa.Table, where: Callable[[Row], bool] | None = None) -> list[Row]:
    return [r for r in table.to_pylist() if where is None or where(r)]


def counts_by(items: Iterable[Row], keys: Sequence[str]) -> Counter[tuple[str, ...]]:
    """Subjects counted by the values of ``keys``."""
    counter: Counter[tuple[str, ...]] = Counter()
    for r in items:
        counter[tuple(str(r[k]) for k in keys)] += int(r["subjects"])
    return counter


@dataclass(frozen=True)
class Matrix:
    """A grade transition matrix of one score model: ``counts[(old, new)]`` subjects."""

    model: str
    old_grades: tuple[str, ...]
    new_grades: tuple[str, ...]
    counts: Counter[tuple[str, ...]]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def changed(self) -> int:
        return sum(n for (old, new), n in self.counts.items() if old != new)


def _grade_order(policies: PolicySet, model: str) -> list[str]:
    found = policies.models.get(model)
    return [] if found is None else [band.grade for band in found.grades]


def _ordered(preferred: list[str], seen: set[str]) -> tuple[str, ...]:
    extra = sorted(seen - set(preferred) - {NONE})
    return tuple([g for g in preferred if g in seen] + extra + ([NONE] if NONE in seen else []))


def matrices(table: pa.Table, old: PolicySet, new: PolicySet) -> list[Matrix]:
    """One matrix per score model of either side, grades in the order the policy bands give."""
    by_model: dict[str, Counter[tuple[str, ...]]] = {}
    for (model, was, now), n in counts_by(rows(table), ("model", "old_grade", "new_grade")).items():
        by_model.setdefault(model, Counter())[(was, now)] = n
    result = []
    for model, counts in sorted(by_model.items()):
        olds, news = {k[0] for k in counts}, {k[1] for k in counts}
        old_order = _grade_order(old, model) or _grade_order(new, model)
        new_order = _grade_order(new, model) or _grade_order(old, model)
        result.append(Matrix(model, _ordered(old_order, olds), _ordered(new_order, news), counts))
    return result


@dataclass(frozen=True)
class ListFlow:
    list: str
    entered: int
    exited: int
    stayed: int


def list_flows(table: pa.Table) -> list[ListFlow]:
    counts = counts_by(rows(table), ("list", "change"))
    names = sorted({name for name, _ in counts})
    return [
        ListFlow(n, counts[(n, "entered")], counts[(n, "exited")], counts[(n, "stayed")])
        for n in names
    ]


@dataclass(frozen=True)
class DecisionShift:
    service: str
    old_effect: str
    new_effect: str
    subjects: int

    @property
    def stricter(self) -> bool:
        return SEVERITY[self.new_effect] > SEVERITY[self.old_effect]


def decision_shifts(table: pa.Table) -> list[DecisionShift]:
    """Every change of decision, by service and (old, new) effect; unchanged ones left out."""
    counts = counts_by(
        rows(table, lambda r: r["old_effect"] != r["new_effect"]),
        ("service", "old_effect", "new_effect"),
    )
    return [DecisionShift(s, o, n, c) for (s, o, n), c in sorted(counts.items())]


def changed_grade(r: Row) -> bool:
    return bool(r["old_grade"] != r["new_grade"])


def changed_decision(r: Row) -> bool:
    return bool(r["old_effect"] != r["new_effect"])
