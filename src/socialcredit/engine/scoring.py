"""Scores: a model's base plus the points of the records counting on a day, clamped, graded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from socialcredit.engine.intervals import OPEN_END, OPEN_START, Interval, IntervalSet
from socialcredit.engine.timeline import Timeline
from socialcredit.policy.models import ScoreCondition, ScoreModel
from socialcredit.policy.policyset import PolicySet


@dataclass(frozen=True)
class Contribution:
    record: str
    item: str
    points: int


@dataclass(frozen=True)
class Score:
    model: str
    value: int
    grade: str
    contributions: tuple[Contribution, ...]


def grade_of(model: ScoreModel, value: int) -> str:
    """The grade band containing ``value`` (bands are checked contiguous at load)."""
    for band in model.grades:
        low = model.min if band.min is None else band.min
        high = model.max if band.max is None else band.max
        if low <= value <= high:
            return band.grade
    raise ValueError(f"no grade band of {model.id!r} contains {value}")


def score_on(
    policies: PolicySet, model: ScoreModel, timelines: Sequence[Timeline], day: date
) -> Score:
    """The score of ``model`` on ``day``, with its contributions record by record.

    ``timelines`` must be sorted by record id (as :func:`assess` provides them).
    """
    contributions = tuple(
        Contribution(t.record.id, t.record.item, points)
        for t in timelines
        if (points := policies.items[t.record.item].points.get(model.id)) is not None
        and t.counts_on(day)
    )
    raw = model.base + sum(c.points for c in contributions)
    value = min(model.max, max(model.min, raw))
    return Score(model.id, value, grade_of(model, value), contributions)


def holds(condition: ScoreCondition, score: Score) -> bool:
    if condition.grades is not None:
        return score.grade in condition.grades
    return condition.min_value is not None and score.value >= condition.min_value


def condition_intervals(
    policies: PolicySet, condition: ScoreCondition, timelines: Sequence[Timeline]
) -> IntervalSet:
    """Every day on which ``condition`` holds, given these records and no others.

    A score only changes where a record starts or stops counting, so the condition is evaluated
    once per such boundary.
    """
    model = policies.models[condition.model]
    relevant = [t for t in timelines if model.id in policies.items[t.record.item].points]
    points = sorted({d for t in relevant for d in t.counting.boundaries()} - {OPEN_END})
    starts = [OPEN_START, *points]
    ends = [*points, OPEN_END]
    parts = [
        Interval(start, end)
        for start, end in zip(starts, ends, strict=True)
        if holds(condition, score_on(policies, model, relevant, start))
    ]
    return IntervalSet.of(parts)
