"""Decisions at a service: deny, restrict, benefit or allow, with every reason and remedy.

The effect is ``deny`` if any active measure at the service denies, else ``restrict``, else
``benefit``, else ``allow``. A measure is active when its memorandum's list has a membership on
the day, or (benefits, and restrictions inside the score's own domain) its score condition holds.
Measures apply only to the subject itself; measures that target only an organisation's
responsible persons are not applied to the organisation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from socialcredit.engine.intervals import render
from socialcredit.engine.lists import Membership
from socialcredit.engine.scoring import Score, holds
from socialcredit.policy.models import ListDef
from socialcredit.policy.policyset import BoundMeasure, PolicySet

EFFECT_ORDER = ("deny", "restrict", "benefit")


@dataclass(frozen=True)
class Decision:
    service: str
    effect: str
    reasons: tuple[dict[str, Any], ...]
    remedies: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class Situation:
    """What the decisions are made from: the subject's kind, memberships and scores."""

    subject_kind: str
    memberships: Mapping[str, Membership]
    scores: Mapping[str, Score]


def _measure_fields(bound: BoundMeasure) -> dict[str, Any]:
    m = bound.measure
    return {
        "memorandum": bound.memorandum.id,
        "measure": m.id,
        "effect": m.effect,
        "legal_basis": m.legal_basis,
        "agency": m.agency,
        "nexus": m.nexus,
    }


def _reason(bound: BoundMeasure, situation: Situation) -> dict[str, Any] | None:
    memo = bound.memorandum
    if memo.list_id is not None:
        member = situation.memberships.get(memo.list_id)
        if member is None:
            return None
        trigger: dict[str, Any] = {
            "list": member.list,
            "kind": member.kind,
            "since": render(member.since),
            "until": render(member.until),
            "records": list(member.records),
        }
        return trigger | _measure_fields(bound)
    assert memo.score is not None  # a memorandum has a list or a score (validated at load)
    score = situation.scores.get(memo.score.model)
    if score is None or not holds(memo.score, score):
        return None
    score_trigger: dict[str, Any] = {
        "score_model": score.model,
        "value": score.value,
        "grade": score.grade,
    }
    return score_trigger | _measure_fields(bound)


def _remedy(lst: ListDef, member: Membership, review_days: Mapping[str, int]) -> dict[str, Any]:
    repair = lst.repair
    objections = [
        f"record {rid}: object to it; a reviewer must decide within {review_days[rid]} days, "
        "or the record is suspended until decided"
        for rid in member.records
    ]
    return {
        "list": lst.id,
        "until": render(member.until),
        "exit": list(lst.exit),
        "repair": repair.procedure if repair else None,
        "repair_decision_days": repair.decision_days if repair else None,
        "objection": objections,
    }


def decide(
    policies: PolicySet, service: str, situation: Situation, review_days: Mapping[str, int]
) -> Decision:
    """The decision for one service; ``review_days`` maps record ids to their review deadline."""
    reasons = []
    for bound in policies.measures_at(service):
        measure = bound.measure
        if "subject" not in measure.targets:
            continue
        if situation.subject_kind not in measure.subject_kinds:
            continue
        reason = _reason(bound, situation)
        if reason is not None:
            reasons.append(reason)
    reasons.sort(key=lambda r: (EFFECT_ORDER.index(r["effect"]), r["memorandum"], r["measure"]))
    effect = reasons[0]["effect"] if reasons else "allow"
    restricting = sorted(
        {r["list"] for r in reasons if r["effect"] in ("deny", "restrict") and "list" in r}
    )
    remedies = tuple(
        _remedy(policies.lists[lid], situation.memberships[lid], review_days) for lid in restricting
    )
    return Decision(service, effect, tuple(reasons), remedies)
