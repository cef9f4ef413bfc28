"""Scores: a model's base plus the points of the records counting on a day, clamped, graded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from socialcredit.engine.compiled import ModelRule, compiled
from socialcredit.engine.intervals import OPEN_END, OPEN_START, Interval, IntervalSet
from socialcredit.engine.scorecard import (
    CardResult,
    card_points,
    change_points,
    raw_score,
    value_dates,
)
from socialcredit.engine.timeline import Timeline
from socialcredit.policy.models import ScoreCondition
from socialcredit.policy.policyset import PolicySet
from socialcredit.policy.scorecard_models import Scorecard


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
    card: CardResult | None = None  # a scorecard's characteristics and reasons


def rule_score(rule: ModelRule, timelines: Sequence[Timeline], day: date) -> Score:
    """The score of the rule's model on ``day``, with its contributions record by record
    (``timelines`` sorted by record id, as ``engine.assess`` gives them); a scorecard's from
    its characteristics (``engine.scorecard``)."""
    if rule.model.scorecard is not None:
        return _card_score(rule, rule.model.scorecard, timelines, day)
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


def _card_score(
    rule: ModelRule, card: Scorecard, timelines: Sequence[Timeline], day: date
) -> Score:
    model = rule.model
    result = card_points(card, rule.items, timelines, day)
    value = min(model.max, max(model.min, raw_score(model, result)))
    return Score(model.id, value, rule.grade(value), (), result)


def _card_intervals(
    rule: ModelRule, card: Scorecard, condition: ScoreCondition, timelines: Sequence[Timeline]
) -> IntervalSet:
    """:func:`condition_intervals` for a scorecard: its value is evaluated on every segment
    between the dates where a characteristic may cross a bin edge."""
    points = sorted({OPEN_START, *change_points(card, rule.items, timelines)} - {OPEN_END})
    parts: list[Interval] = []
    for start, end in zip(points, [*points[1:], OPEN_END], strict=True):
        score = _card_score(rule, card, timelines, start)
        if _holds(condition, score.value, score.grade):
            parts.append(Interval(start, end))
    return IntervalSet.of(parts)


def card_change_dates(
    policies: PolicySet, kind: str, timelines: Sequence[Timeline], day: date
) -> set[date]:
    """The dates on which a scorecard of a ``kind`` subject, or a value shown with it, may
    change besides the records' own boundaries (for the next change of an assessment)."""
    rules = compiled(policies).models_by_kind.get(kind, ())
    found: set[date] = set()
    for rule in rules:
        card = rule.model.scorecard
        if card is not None:
            found.update(change_points(card, rule.items, timelines))
            found.update(value_dates(card, rule.items, timelines, day))
    return found


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
    if rule.model.scorecard is not None:
        return _card_intervals(rule, rule.model.scorecard, condition, timelines)
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
