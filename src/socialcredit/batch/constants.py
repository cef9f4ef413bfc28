"""The loaded policies as small constant tables, joined by the SQL steps.

Policy data never appears inside SQL text (grades and titles are free text): the steps join
these tables instead. Durations are stored as (months, days), one of them zero; NULL for an
``until_resolved`` term or a list without ``max_duration``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

import pyarrow as pa

from socialcredit.batch.cardconstants import card_tables
from socialcredit.batch.orgcodesql import ORG_CREDIT, empty_org_credit
from socialcredit.engine.decisions import EFFECT_ORDER
from socialcredit.engine.workdays import is_working_day
from socialcredit.errors import SocialCreditError
from socialcredit.policy import PolicySet
from socialcredit.policy.durations import Duration
from socialcredit.policy.models import ScoreCondition
from socialcredit.policy.vocabulary import Polarity

EFFECT_RANK = {effect: rank for rank, effect in enumerate(EFFECT_ORDER)}
"""The engine's order of effects: the strongest active measure (the lowest rank) decides."""


class PlanError(SocialCreditError):
    """The policies cannot be compiled to a batch plan (for instance an exclusion cycle)."""

    code = "batch-plan"


def _months_days(duration: Duration | None) -> tuple[int | None, int | None]:
    if duration is None:
        return None, None
    return (duration.amount, 0) if duration.unit == "m" else (0, duration.amount)


def _kinds(kinds: Collection[str]) -> dict[str, bool]:
    return {"for_person": "person" in kinds, "for_org": "organisation" in kinds}


_KIND_FIELDS = [("for_person", pa.bool_()), ("for_org", pa.bool_())]
"""The columns of :func:`_kinds`, closing the schemas of items, models and measures."""


ConditionKey = tuple[str, tuple[str, ...] | None, int | None]


def condition_key(condition: ScoreCondition) -> ConditionKey:
    grades = None if condition.grades is None else tuple(sorted(set(condition.grades)))
    return (condition.model, grades, condition.min_value)


@dataclass(frozen=True)
class Conditions:
    """Every distinct score condition of lists and memoranda, numbered."""

    ids: Mapping[ConditionKey, int]

    @classmethod
    def of(cls, policies: PolicySet) -> Conditions:
        found: dict[ConditionKey, int] = {}
        for lst in sorted(policies.lists.values(), key=lambda x: x.id):
            if lst.entry.score is not None:
                found.setdefault(condition_key(lst.entry.score), len(found))
        for memo in sorted(policies.memoranda.values(), key=lambda x: x.id):
            if memo.score is not None:
                found.setdefault(condition_key(memo.score), len(found))
        return cls(found)

    def id_of(self, condition: ScoreCondition | None) -> int | None:
        return None if condition is None else self.ids[condition_key(condition)]


def list_depths(policies: PolicySet) -> dict[str, int]:
    """0 for a list excluded by nothing, else 1 + the deepest list that excludes it."""
    depths: dict[str, int] = {}

    def depth(list_id: str, seen: tuple[str, ...]) -> int:
        if list_id in seen:
            raise PlanError(f"lists exclude each other in a cycle: {' -> '.join(seen)}")
        if list_id not in depths:
            others = policies.lists[list_id].entry.excluded_by
            depths[list_id] = 1 + max((depth(o, (*seen, list_id)) for o in others), default=-1)
        return depths[list_id]

    for list_id in sorted(policies.lists):
        depth(list_id, ())
    return depths


def _items(policies: PolicySet) -> pa.Table:
    rows = []
    for code, item in sorted(policies.items.items()):
        months, days = _months_days(item.counts_for)
        rows.append(
            {
                "item": code,
                "negative": item.polarity is Polarity.NEGATIVE,
                "notice_days": item.notice_days or 0,
                "counts_months": months,
                "counts_days": days,
                "stop_on_resolution": item.on_resolution == "stop_counting",
                "review_days": policies.review_days(code),
                "review_working": policies.review_working(code),
                **_kinds(item.subject_kinds),
            }
        )
    schema = pa.schema(
        [
            ("item", pa.string()),
            ("negative", pa.bool_()),
            ("notice_days", pa.int32()),
            ("counts_months", pa.int32()),
            ("counts_days", pa.int32()),
            ("stop_on_resolution", pa.bool_()),
            ("review_days", pa.int32()),
            ("review_working", pa.bool_()),
            *_KIND_FIELDS,
        ]
    )
    return pa.Table.from_pylist(rows, schema)


def _points(policies: PolicySet) -> pa.Table:
    rows = [
        {"item": code, "model": model, "points": points}
        for code, item in sorted(policies.items.items())
        for model, points in sorted(item.points.items())
        if model in policies.models
    ]
    schema = pa.schema([("item", pa.string()), ("model", pa.string()), ("points", pa.int64())])
    return pa.Table.from_pylist(rows, schema)


def _models(policies: PolicySet) -> tuple[pa.Table, pa.Table]:
    models, bands = [], []
    for model_id, model in sorted(policies.models.items()):
        for band in model.grades:
            low = model.min if band.min is None else band.min
            high = model.max if band.max is None else band.max
            bands.append({"model": model_id, "grade": band.grade, "lo": low, "hi": high})
        if model.scorecard is not None:
            continue  # a scorecard is scored from ``c_card_*`` (``batch.cardsql``)
        models.append(
            {"model": model_id, "base": model.base, "vmin": model.min, "vmax": model.max}
            | _kinds(model.subject_kinds)
        )
    model_schema = pa.schema(
        [
            ("model", pa.string()),
            ("base", pa.int64()),
            ("vmin", pa.int64()),
            ("vmax", pa.int64()),
            *_KIND_FIELDS,
        ]
    )
    band_schema = pa.schema(
        [("model", pa.string()), ("grade", pa.string()), ("lo", pa.int64()), ("hi", pa.int64())]
    )
    return pa.Table.from_pylist(models, model_schema), pa.Table.from_pylist(bands, band_schema)


def _lists(policies: PolicySet, conditions: Conditions) -> dict[str, pa.Table]:
    depths = list_depths(policies)
    lists: list[dict[str, object]] = []
    entries: list[dict[str, object]] = []
    exclusions: list[dict[str, str]] = []
    for list_id, lst in sorted(policies.lists.items()):
        max_months, max_days = _months_days(lst.max_duration)
        cond = conditions.id_of(lst.entry.score)
        lists.append(
            {
                "list_id": list_id,
                "list_kind": lst.kind,
                "max_months": max_months,
                "max_days": max_days,
                "depth": depths[list_id],
                "cond_id": cond,
            }
        )
        for entry in lst.entry.items:
            term = entry.term if isinstance(entry.term, Duration) else None
            months, days = _months_days(term)
            entries.append(
                {"list_id": list_id, "item": entry.item, "term_months": months, "term_days": days}
            )
        exclusions.extend({"list_id": list_id, "excluded_id": o} for o in lst.entry.excluded_by)
    return {
        "c_lists": pa.Table.from_pylist(
            lists,
            pa.schema(
                [
                    ("list_id", pa.string()),
                    ("list_kind", pa.string()),
                    ("max_months", pa.int32()),
                    ("max_days", pa.int32()),
                    ("depth", pa.int32()),
                    ("cond_id", pa.int32()),
                ]
            ),
        ),
        "c_list_items": pa.Table.from_pylist(
            entries,
            pa.schema(
                [
                    ("list_id", pa.string()),
                    ("item", pa.string()),
                    ("term_months", pa.int32()),
                    ("term_days", pa.int32()),
                ]
            ),
        ),
        "c_exclusions": pa.Table.from_pylist(
            exclusions, pa.schema([("list_id", pa.string()), ("excluded_id", pa.string())])
        ),
    }


def _conditions(conditions: Conditions) -> dict[str, pa.Table]:
    conds: list[dict[str, object]] = []
    grades: list[dict[str, object]] = []
    for (model, grade_set, min_value), cond_id in conditions.ids.items():
        conds.append({"cond_id": cond_id, "model": model, "min_value": min_value})
        grades.extend({"cond_id": cond_id, "grade": g} for g in grade_set or ())
    return {
        "c_conds": pa.Table.from_pylist(
            conds,
            pa.schema([("cond_id", pa.int32()), ("model", pa.string()), ("min_value", pa.int64())]),
        ),
        "c_cond_grades": pa.Table.from_pylist(
            grades, pa.schema([("cond_id", pa.int32()), ("grade", pa.string())])
        ),
    }


def _measures(policies: PolicySet, conditions: Conditions) -> pa.Table:
    """One row per (service, measure) that targets the subject itself."""
    rows = []
    for bound in policies.bound_measures():
        memo, measure = bound.memorandum, bound.measure
        if "subject" not in measure.targets:
            continue
        for service in sorted(set(measure.services)):
            rows.append(
                {
                    "service": service,
                    "memorandum": memo.id,
                    "measure": measure.id,
                    "effect": measure.effect,
                    "effect_rank": EFFECT_RANK[measure.effect],
                    "list_id": memo.list_id,
                    "cond_id": conditions.id_of(memo.score),
                    **_kinds(measure.subject_kinds),
                }
            )
    schema = pa.schema(
        [
            ("service", pa.string()),
            ("memorandum", pa.string()),
            ("measure", pa.string()),
            ("effect", pa.string()),
            ("effect_rank", pa.int32()),
            ("list_id", pa.string()),
            ("cond_id", pa.int32()),
            *_KIND_FIELDS,
        ]
    )
    return pa.Table.from_pylist(rows, schema)


CALENDAR_FROM, CALENDAR_UNTIL = date(2000, 1, 1), date(2101, 1, 1)


@cache
def _days() -> pa.Table:
    """Every day of the calendar range: whether it is a working day (``engine.workdays``) and
    ``n``, how many working days there are from the start of the range to it (inclusive). The
    ``k``-th working day after a day ``d`` is the working day whose ``n`` is ``d``'s plus ``k``.
    (Review deadlines of objections filed outside the range are not computed.)"""
    days, working, counts = [], [], []
    day, n = CALENDAR_FROM, 0
    while day < CALENDAR_UNTIL:
        work = is_working_day(day)
        n += work
        days.append(day)
        working.append(work)
        counts.append(n)
        day += timedelta(days=1)
    schema = pa.schema([("day", pa.date32()), ("working", pa.bool_()), ("n", pa.int32())])
    return pa.Table.from_pydict({"day": days, "working": working, "n": counts}, schema)


def constant_tables(policies: PolicySet) -> dict[str, pa.Table]:
    """Every constant table of the plan, by name."""
    conditions = Conditions.of(policies)
    models, bands = _models(policies)
    return {
        "c_items": _items(policies),
        "c_days": _days(),
        "c_points": _points(policies),
        "c_models": models,
        "c_bands": bands,
        "c_measures": _measures(policies, conditions),
        **_lists(policies, conditions),
        **_conditions(conditions),
        **card_tables(policies),
        ORG_CREDIT: empty_org_credit(),
    }
