"""The engine's index of a policy set: what every assessment looks up, built once per set.

A :class:`~socialcredit.policy.policyset.PolicySet` is immutable, so what the engine derives
from it (points by item and model, grade bands, list entry terms, and for each subject kind the
measures at each service in the order their reasons are reported) is computed on first use and
kept for as long as the policy set lives. Only lookups move here: the rules stay in the modules
that state them.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

from socialcredit.policy.durations import Duration
from socialcredit.policy.models import BOTH_KINDS, Item, ListDef, ScoreCondition, ScoreModel
from socialcredit.policy.policyset import BoundMeasure, PolicySet

EFFECT_ORDER = ("deny", "restrict", "benefit")


@lru_cache(maxsize=1 << 16)
def after(duration: Duration, start: date) -> date:
    """``duration.after(start)``, remembered (terms are computed for the same few dates)."""
    return duration.after(start)


@dataclass(frozen=True, slots=True)
class ModelRule:
    """A score model with the points each item carries in it and its bands resolved."""

    model: ScoreModel
    points: Mapping[str, int]  # item code -> points in this model
    bands: tuple[tuple[int, int, str], ...]  # (low, high, grade), bounds filled in
    items: Mapping[str, Item] = field(default_factory=dict)  # a scorecard's: every item

    def grade(self, value: int) -> str:
        """The grade band containing ``value`` (bands are checked contiguous at load)."""
        for low, high, grade in self.bands:
            if low <= value <= high:
                return grade
        raise ValueError(f"no grade band of {self.model.id!r} contains {value}")


@dataclass(frozen=True, slots=True)
class ListRule:
    """A list with its entry terms by item."""

    list: ListDef
    terms: Mapping[str, Duration | str]  # item code -> entry term
    score: ScoreCondition | None
    excluded_by: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MeasureRule:
    """A measure that applies to the subject itself, with the fields every reason repeats."""

    bound: BoundMeasure
    list_id: str | None  # the memorandum's list, or None for a score condition
    score: ScoreCondition | None
    fields: dict[str, Any]  # never changed: copied into each reason


@dataclass(frozen=True, slots=True)
class Plan:
    """For one subject kind: every service (sorted) with the measures that may give a reason
    there, in the order reasons are reported, and which services each trigger reaches."""

    services: tuple[str, ...]
    rules: Mapping[str, tuple[MeasureRule, ...]]
    by_list: Mapping[str, frozenset[str]]  # list id -> services with a measure on that list
    by_score: tuple[tuple[ScoreCondition, frozenset[str]], ...]  # likewise, score conditions


@dataclass(frozen=True, slots=True)
class Compiled:
    models: Mapping[str, ModelRule]
    models_by_kind: Mapping[str, tuple[ModelRule, ...]]  # sorted by model id
    lists: Mapping[str, ListRule]  # sorted by list id
    # per subject kind, per service (sorted), the measures in the order of their reasons
    plans: Mapping[str, Plan]  # by subject kind
    # per list, per service (sorted), the measures that reach linked persons, in reason order
    reaching: Mapping[str, Mapping[str, tuple[MeasureRule, ...]]] = field(default_factory=dict)


def _model_rule(policies: PolicySet, model: ScoreModel) -> ModelRule:
    points = {
        code: item.points[model.id]
        for code, item in policies.items.items()
        if model.id in item.points
    }
    bands = tuple(
        (
            model.min if band.min is None else band.min,
            model.max if band.max is None else band.max,
            band.grade,
        )
        for band in model.grades
    )
    items = policies.items if model.scorecard is not None else {}
    return ModelRule(model, points, bands, items)


def _list_rule(lst: ListDef) -> ListRule:
    terms = {entry.item: entry.term for entry in lst.entry.items}
    return ListRule(lst, terms, lst.entry.score, tuple(lst.entry.excluded_by))


def _measure_rule(bound: BoundMeasure) -> MeasureRule:
    m, memo = bound.measure, bound.memorandum
    fields = {
        "memorandum": memo.id,
        "measure": m.id,
        "effect": m.effect,
        "legal_basis": m.legal_basis,
        "agency": m.agency,
        "nexus": m.nexus,
    }
    return MeasureRule(bound, memo.list_id, memo.score, fields)


def _order(bound: BoundMeasure) -> tuple[int, str, str]:
    return (EFFECT_ORDER.index(bound.measure.effect), bound.memorandum.id, bound.measure.id)


def _plan(policies: PolicySet, kind: str) -> Plan:
    """Every service with the measures that may give a reason there to a subject of ``kind``.

    Sorted once as the reasons are (effect, memorandum, measure; stable over memorandum order),
    so a decision keeps the active ones in order.
    """
    rules: dict[str, tuple[MeasureRule, ...]] = {}
    by_list: dict[str, set[str]] = {}
    by_score: dict[int, tuple[ScoreCondition, set[str]]] = {}
    for service in policies.service_ids():
        applicable = [
            b
            for b in policies.measures_at(service)
            if "subject" in b.measure.targets and kind in b.measure.subject_kinds
        ]
        rules[service] = tuple(_measure_rule(b) for b in sorted(applicable, key=_order))
        for rule in rules[service]:
            if rule.list_id is not None:
                by_list.setdefault(rule.list_id, set()).add(service)
            elif rule.score is not None:
                by_score.setdefault(id(rule.score), (rule.score, set()))[1].add(service)
    return Plan(
        tuple(rules),
        rules,
        {lid: frozenset(found) for lid, found in by_list.items()},
        tuple((condition, frozenset(found)) for condition, found in by_score.values()),
    )


REACHING_EFFECTS = ("deny", "restrict")
"""The effects that reach persons linked to a listed organisation (principle 7): a benefit
is never extended to anyone through a link."""


def _reaches(bound: BoundMeasure) -> bool:
    """Whether the measure reaches persons linked to a listed organisation: a list's deny or
    restrict measure for organisations whose targets name a role."""
    m = bound.measure
    return (
        bound.memorandum.list_id is not None
        and m.effect in REACHING_EFFECTS
        and "organisation" in m.subject_kinds
        and any(target != "subject" for target in m.targets)
    )


def _reaching(policies: PolicySet) -> dict[str, dict[str, tuple[MeasureRule, ...]]]:
    """By list and service (both sorted), the measures that reach linked persons."""
    found: dict[str, dict[str, list[BoundMeasure]]] = {}
    for service in policies.service_ids():
        for bound in policies.measures_at(service):
            if _reaches(bound):
                assert bound.memorandum.list_id is not None
                found.setdefault(bound.memorandum.list_id, {}).setdefault(service, []).append(bound)
    return {
        list_id: {
            service: tuple(_measure_rule(b) for b in sorted(bounds, key=_order))
            for service, bounds in sorted(by_service.items())
        }
        for list_id, by_service in sorted(found.items())
    }


def _compile(policies: PolicySet) -> Compiled:
    models = {mid: _model_rule(policies, m) for mid, m in sorted(policies.models.items())}
    kinds: set[str] = {*BOTH_KINDS, *(k for m in policies.models.values() for k in m.subject_kinds)}
    by_kind = {
        kind: tuple(r for r in models.values() if kind in r.model.subject_kinds) for kind in kinds
    }
    lists = {lid: _list_rule(lst) for lid, lst in sorted(policies.lists.items())}
    plans = {kind: _plan(policies, kind) for kind in kinds}
    return Compiled(models, by_kind, lists, plans, _reaching(policies))


_CACHE: dict[int, tuple[weakref.ref[PolicySet], Compiled]] = {}


def compiled(policies: PolicySet) -> Compiled:
    """The index of ``policies``, built on first use and dropped with the policy set."""
    key = id(policies)
    found = _CACHE.get(key)
    if found is not None and found[0]() is policies:
        return found[1]
    index = _compile(policies)
    _CACHE[key] = (weakref.ref(policies, lambda _ref: _CACHE.pop(key, None)), index)
    return index
