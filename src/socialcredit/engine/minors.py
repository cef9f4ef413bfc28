"""Principle 13: what is recorded about a minor never lists, restricts or is disclosed.

A record is *protected* when its subject is a natural person who was under 18 on the record's
decision date, the birth date being read from the person's identifier
(:func:`socialcredit.identity.birth_date`). A protected record

- never counts towards a black or watch list (it still counts in scores and towards red lists,
  which only grant benefits);
- never makes a score condition deny or restrict: such a condition must also hold on the score
  without the protected records (:func:`guarded_score`);
- is never disclosed publicly (the registry's public pages leave it out).

Age follows the rule of Chinese judicial practice: a person reaches the age of 18 on the day
after the 18th birthday, so a record decided on that birthday is still protected. Comparing the
dates as numbers ``YYYYMMDD`` says exactly that, for 29 February too: the person born on
2008-02-29 is a minor until 2026-02-28 and an adult from 2026-03-01.

Whether a record is protected depends only on its decision date and the identifier, never on
the assessment date: a record decided while the person was a minor stays protected for good.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from socialcredit.engine.compiled import ModelRule, compiled
from socialcredit.engine.scoring import Score
from socialcredit.policy.policyset import PolicySet

ADULT_AGE = 18
GUARDED_LIST_KINDS = frozenset({"black", "watch"})
"""The lists a protected record never counts towards."""
PRINCIPLE = 13


def _number(day: date) -> int:
    return day.year * 10_000 + day.month * 100 + day.day


def minor_on(born: date, day: date) -> bool:
    """Whether a person born on ``born`` is under 18 on ``day`` (18 from the day after the
    18th birthday)."""
    return _number(day) <= _number(born) + ADULT_AGE * 10_000


@dataclass(frozen=True, slots=True)
class Protection:
    """Why one record is protected, and what it is kept out of."""

    record: str
    item: str
    decided_on: date
    born: date
    lists: tuple[str, ...]  # the black and watch lists its item would otherwise enter
    services: tuple[str, ...]  # where those lists' measures would otherwise apply

    def to_dict(self) -> dict[str, Any]:
        return {
            "record": self.record,
            "item": self.item,
            "rule": "minor",
            "principle": PRINCIPLE,
            "born": self.born.isoformat(),
            "decided_on": self.decided_on.isoformat(),
            "lists": list(self.lists),
            "services": list(self.services),
            "explanation": (
                f"the subject (born {self.born.isoformat()}) was under 18 on "
                f"{self.decided_on.isoformat()}, the record's decision date: the record is never "
                "disclosed publicly, never counts towards a black or watch list and never "
                "restricts (principle 13)"
            ),
        }


@dataclass(frozen=True, slots=True)
class Decided:
    """What protection is decided from: a record's id, item and decision date."""

    record: str
    item: str
    decided_on: date


def protections(
    policies: PolicySet, kind: str, born: date | None, records: Iterable[Decided]
) -> tuple[Protection, ...]:
    """The protection of every record decided while the subject was a minor, by record id."""
    if born is None:
        return ()
    index = compiled(policies)
    plan = index.plans.get(kind)
    found = []
    for record in sorted(records, key=lambda r: r.record):
        if not minor_on(born, record.decided_on):
            continue
        lists = tuple(
            list_id
            for list_id, rule in index.lists.items()
            if rule.list.kind in GUARDED_LIST_KINDS and record.item in rule.terms
        )
        reached = set() if plan is None else set().union(*(plan.by_list.get(i, ()) for i in lists))
        protection = Protection(
            record.record, record.item, record.decided_on, born, lists, tuple(sorted(reached))
        )
        found.append(protection)
    return tuple(found)


def guarded_score(rule: ModelRule, score: Score, protected: frozenset[str]) -> Score:
    """``score`` without the points of the protected records (clamped and graded again)."""
    kept = tuple(c for c in score.contributions if c.record not in protected)
    if len(kept) == len(score.contributions):
        return score
    model = rule.model
    value = min(model.max, max(model.min, model.base + sum(c.points for c in kept)))
    return Score(score.model, value, rule.grade(value), kept)


def guarded_scores(
    policies: PolicySet, scores: Iterable[Score], protected: frozenset[str]
) -> Mapping[str, Score]:
    """Every score without the protected records, by model."""
    models = compiled(policies).models
    return {s.model: guarded_score(models[s.model], s, protected) for s in scores}
