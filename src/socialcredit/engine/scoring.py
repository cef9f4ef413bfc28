"""Scores: a model's base plus the points of the records counting on a day, clamped, graded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from socialcredit.engine.compiled import ModelRule, compiled
from socialcredit.engine.intervals import OPEN_END, OPEN_START, Interval, IntervalSet
from socialcredit.engine.timeline import Timeline
from socialcredit.policy.models import ScoreCondition
from socialcredit.policy.policyset import PolicySet


@dataclass(frozen=True, slots=True)
class Contribution:
    record: str
    item: str
    points: int


@dataclass(frozen=True, slots=True)
class Score:
    model: str
    value: int
    grade: str
    contributions: tuple[Contribution, ...]


def rule_score(rule: ModelRule, timelines: Sequence[Timeline], day: date) -> Score:
    """The score of the rule's model on ``day``, with its contributions record by record
    (``timelines`` sorted by record id, as ``engine.assess`` gives them)."""
    points_of = rule.points
    contributions = tuple(
        Contribution(t.record.id, t.record.item, points)
        for t in timelines
        if (points := points_of.get(t.record.item)) is not None and t.counting.contains(day)
    )
    model = rule.model
    raw = model.base + sum(c.points for c in contributions)
    value = min(model.max, max(model.min, raw))
    return Score(model.id, value, rule.grade(value), contributions)


def holds(condition: ScoreCondition, score: Score) -> bool:
    return _holds(condition, score.value, score.grade)


def _holds(condition: ScoreCondition, value: int, grade: str) -> bool:
    if condition.grades is not None:
        return grade in condition.grades
    return condition.min_value is not None and value >= condition.min_value


def condition_intervals(
    policies: PolicySet, condition: ScoreCondition, timelines: Sequence[Timeline]
) -> IntervalSet:
    """Every day on which ``condition`` holds, given these records and no others.

    A score only changes where a record starts or stops counting: one sweep over those
    boundaries, in date order, keeps the sum of the points counting in between.
    """
    rule = compiled(policies).models[condition.model]
    deltas: dict[date, int] = {}
    for t in timelines:
        points = rule.points.get(t.record.item)
        if points is None:
            continue
        for part in t.counting.parts:
            deltas[part.start] = deltas.get(part.start, 0) + points
            deltas[part.end] = deltas.get(part.end, 0) - points
    model = rule.model
    parts: list[Interval] = []
    running, start = 0, OPEN_START
    for point in [*sorted(deltas), OPEN_END]:
        if start < point:
            value = min(model.max, max(model.min, model.base + running))
            if _holds(condition, value, rule.grade(value)):
                parts.append(Interval(start, point))
        running += deltas.get(point, 0)
        start = point
    return IntervalSet.of(parts)
