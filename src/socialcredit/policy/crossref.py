"""Second-phase checks that follow references between objects, across all loaded files."""

from __future__ import annotations

from collections.abc import Iterator

from socialcredit.policy.findings import Finding
from socialcredit.policy.index import PolicyIndex
from socialcredit.policy.models import GradeBand, Item, ListDef, Memorandum, ScoreCondition
from socialcredit.policy.models import ScoreModel as Model
from socialcredit.policy.vocabulary import Polarity
from socialcredit.policy.yamlsource import PathKey


def _missing(loc: PathKey, what: str, code: str, known: dict[str, object]) -> Finding:
    hint = ", ".join(sorted(known)[:12]) or "none is defined"
    return Finding(loc, "xref", f"unknown {what} {code!r} (known: {hint})")


def check_item_refs(item: Item, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    sign = 1 if item.polarity is Polarity.POSITIVE else -1
    for model_id, points in item.points.items():
        if points * sign < 0:
            yield Finding(
                (*loc, "points", model_id),
                "points",
                f"{item.polarity} item {item.code!r} gives {points:+d} points in {model_id!r}; "
                "the points of a positive item are >= 0 and of a negative item <= 0",
            )
        model = index.models.get(model_id)
        if model is None:
            yield _missing((*loc, "points", model_id), "score model", model_id, dict(index.models))
        elif not set(item.subject_kinds) & set(model.obj.subject_kinds):
            yield Finding(
                (*loc, "points", model_id),
                "xref",
                f"item {item.code!r} applies to {item.subject_kinds} but score model "
                f"{model_id!r} scores {model.obj.subject_kinds}",
            )


def check_condition(cond: ScoreCondition, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    model = index.models.get(cond.model)
    if model is None:
        yield _missing((*loc, "model"), "score model", cond.model, dict(index.models))
        return
    if cond.min_value is not None and not model.obj.min <= cond.min_value <= model.obj.max:
        yield Finding(
            (*loc, "min_value"),
            "xref",
            f"min_value {cond.min_value} is outside {cond.model!r}'s range "
            f"{model.obj.min}..{model.obj.max}",
        )
    known = {band.grade for band in model.obj.grades}
    for j, grade in enumerate(cond.grades or []):
        if grade not in known:
            yield Finding(
                (*loc, "grades", j),
                "xref",
                f"score model {cond.model!r} has no grade {grade!r} (grades: {sorted(known)})",
            )


def check_list_refs(lst: ListDef, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    for i, entry in enumerate(lst.entry.items):
        if entry.item not in index.items:
            here = (*loc, "entry", "items", i, "item")
            yield _missing(here, "item", entry.item, dict(index.items))
    if lst.entry.score is not None:
        yield from check_condition(lst.entry.score, (*loc, "entry", "score"), index)
    if lst.kind != "red" and lst.entry.excluded_by:
        here = (*loc, "entry", "excluded_by")
        yield Finding(here, "xref", f"only red lists have excluded_by; {lst.id!r} is {lst.kind}")
        return
    for i, other in enumerate(lst.entry.excluded_by):
        here = (*loc, "entry", "excluded_by", i)
        target = index.lists.get(other)
        if target is None:
            yield _missing(here, "list", other, dict(index.lists))
        elif target.obj.kind == "red":
            yield Finding(
                here, "xref", f"a list is excluded only by black or watch lists: {other!r}"
            )


def check_memorandum_refs(memo: Memorandum, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    if memo.list_id is not None and memo.list_id not in index.lists:
        yield _missing((*loc, "list"), "list", memo.list_id, dict(index.lists))
    if memo.score is not None:
        yield from check_condition(memo.score, (*loc, "score"), index)
    for i, measure in enumerate(memo.measures):
        for j, service in enumerate(measure.services):
            if service not in index.services:
                here = (*loc, "measures", i, "services", j)
                yield _missing(here, "service (declare it under services:)", service, {})


def check_grades(model: Model, loc: PathKey) -> Iterator[Finding]:
    """Grade bands must cover [min, max] exactly once, with no gap and no overlap."""
    names = [band.grade for band in model.grades]
    if len(set(names)) != len(names):
        yield Finding((*loc, "grades"), "grades", f"score model {model.id!r} repeats a grade name")
    spans = sorted(_band_span(band, model) for band in model.grades)
    expected = model.min
    for low, high, grade in spans:
        if low != expected or high < low:
            yield Finding(
                (*loc, "grades"),
                "grades",
                f"score model {model.id!r}: grade bands must cover {model.min}..{model.max} "
                f"without gap or overlap; band {grade!r} covers {low}..{high}, expected it to "
                f"start at {expected}",
            )
            return
        expected = high + 1
    if expected != model.max + 1:
        yield Finding((*loc, "grades"), "grades", f"grade bands of {model.id!r} stop before max")


def _band_span(band: GradeBand, model: Model) -> tuple[int, int, str]:
    low = model.min if band.min is None else band.min
    high = model.max if band.max is None else band.max
    return low, high, band.grade
