"""Decisions at a service: deny, restrict, benefit or allow, with every reason and remedy.

The effect is ``deny`` if any active measure at the service denies, else ``restrict``, else
``benefit``, else ``allow``. A measure is active when its memorandum's list has a membership on
the day, or (benefits, and restrictions inside the score's own domain) its score condition holds;
a score condition that would deny or restrict must also hold on the score without the records
protected by principle 13 (``Situation.guarded``).
Measures apply to the subject itself only when their ``targets`` name ``subject``; a measure
that names a role reaches the persons linked to a listed organisation in that role
(:mod:`socialcredit.engine.reach`): those reasons carry the organisation and the link, and their
remedies the objection to the link and the organisation's way off the list. Reasons are
reported by effect, memorandum, measure, then organisation and link.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from socialcredit.engine.compiled import EFFECT_ORDER, MeasureRule, Plan, compiled
from socialcredit.engine.intervals import render
from socialcredit.engine.lists import Membership
from socialcredit.engine.reach import Reach, reaching_rules, review_words
from socialcredit.engine.scoring import Score, holds
from socialcredit.policy.models import ListDef
from socialcredit.policy.policyset import PolicySet

__all__ = ["EFFECT_ORDER", "Decision", "Situation", "decide", "decide_all"]


@dataclass(frozen=True, slots=True)
class Decision:
    service: str
    effect: str
    reasons: tuple[dict[str, Any], ...]
    remedies: tuple[dict[str, Any], ...]


@dataclass(frozen=True, slots=True)
class Situation:
    """What the decisions are made from: the subject's kind, memberships and scores."""

    subject_kind: str
    memberships: Mapping[str, Membership]
    scores: Mapping[str, Score]
    guarded: Mapping[str, Score] | None = None
    """The scores without the records protected by principle 13 (``None``: there are none)."""
    reaches: tuple[Reach, ...] = ()
    """Listed organisations reaching the subject (a person) through its links, on the day."""


@dataclass(slots=True)
class _Shared:
    """What every decision of one subject on one day repeats, computed once: a list
    membership's trigger (every measure on the list gives it) and a list's remedy (every service
    the list restricts gives it). Reasons copy the trigger; remedies are the same mapping."""

    situation: Situation
    review_days: Mapping[str, str]
    triggers: dict[str, dict[str, Any]] = field(default_factory=dict)
    remedies: dict[str, dict[str, Any]] = field(default_factory=dict)

    def trigger(self, member: Membership) -> dict[str, Any]:
        found = self.triggers.get(member.list)
        if found is None:
            found = self.triggers[member.list] = {
                "list": member.list,
                "kind": member.kind,
                "since": render(member.since),
                "until": render(member.until),
                "records": list(member.records),
            }
        return found

    def remedy(self, lst: ListDef) -> dict[str, Any]:
        found = self.remedies.get(lst.id)
        if found is None:
            member = self.situation.memberships[lst.id]
            found = self.remedies[lst.id] = _remedy(lst, member, self.review_days)
        return found


def _reason(rule: MeasureRule, shared: _Shared) -> dict[str, Any] | None:
    situation = shared.situation
    if rule.list_id is not None:
        member = situation.memberships.get(rule.list_id)
        if member is None:
            return None
        return shared.trigger(member) | rule.fields
    assert rule.score is not None  # a memorandum has a list or a score (validated at load)
    score = situation.scores.get(rule.score.model)
    if score is None or not holds(rule.score, score):
        return None
    if situation.guarded is not None and rule.fields["effect"] != "benefit":
        guarded = situation.guarded.get(rule.score.model)
        if guarded is None or not holds(rule.score, guarded):
            return None  # only a minor's record makes it hold: it never restricts
    score_trigger: dict[str, Any] = {
        "score_model": score.model,
        "value": score.value,
        "grade": score.grade,
    }
    return score_trigger | rule.fields


def _remedy(lst: ListDef, member: Membership, review_days: Mapping[str, str]) -> dict[str, Any]:
    repair = lst.repair
    objections = [
        f"record {rid}: object to it; a reviewer must decide within {review_days[rid]}, "
        "or the record is suspended until decided"
        for rid in member.records
    ]
    return {
        "list": lst.id,
        "until": render(member.until),
        "exit": [condition.text for condition in lst.exit],
        "repair": repair.procedure if repair else None,
        "repair_decision_days": repair.decision_days if repair else None,
        "objection": objections,
    }


@cache
def _allow(service: str) -> Decision:
    """The decision at a service where no measure is active (immutable, so shared)."""
    return Decision(service, "allow", (), ())


def _reason_order(reason: dict[str, Any]) -> tuple[int, str, str, str, str]:
    link = reason.get("link")
    return (
        EFFECT_ORDER.index(reason["effect"]),
        reason["memorandum"],
        reason["measure"],
        reason.get("organisation", ""),
        link["id"] if link else "",
    )


def _linked(
    policies: PolicySet, service: str, reaches: tuple[Reach, ...]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The reasons given at ``service`` through links, and their remedies (one per reach)."""
    reasons: list[dict[str, Any]] = []
    remedies: list[dict[str, Any]] = []
    for reach in reaches:
        rules = reaching_rules(policies, reach.membership.list, service)
        found = [rule for rule in rules if reach.link.role in rule.bound.measure.targets]
        if not found:
            continue
        trigger = reach.trigger()
        reasons.extend(trigger | rule.fields for rule in found)
        remedies.append(_link_remedy(policies, reach))
    return reasons, remedies


def _link_remedy(policies: PolicySet, reach: Reach) -> dict[str, Any]:
    lst = policies.lists[reach.membership.list]
    link = reach.link
    return {
        "list": lst.id,
        "organisation": link.organisation,
        "link": link.id,
        "until": render(reach.until),
        "exit": [condition.text for condition in lst.exit],
        "objection": [
            f"link {link.id}: object to it; a reviewer must decide within "
            f"{review_words(policies)}, or the link is suspended until decided"
        ],
    }


def _decision(
    policies: PolicySet, service: str, rules: tuple[MeasureRule, ...], shared: _Shared
) -> Decision:
    reasons = [r for r in (_reason(rule, shared) for rule in rules) if r is not None]
    linked, linked_remedies = _linked(policies, service, shared.situation.reaches)
    if linked:
        reasons = sorted(reasons + linked, key=_reason_order)
    if not reasons:
        return _allow(service)
    restricting = sorted(
        {
            r["list"]
            for r in reasons
            if r["effect"] in ("deny", "restrict") and "list" in r and "link" not in r
        }
    )
    remedies = tuple(shared.remedy(policies.lists[lid]) for lid in restricting)
    return Decision(
        service, reasons[0]["effect"], tuple(reasons), remedies + tuple(linked_remedies)
    )


def decide(
    policies: PolicySet, service: str, situation: Situation, review_days: Mapping[str, str]
) -> Decision:
    """The decision for one service; ``review_days`` maps record ids to their review deadline
    in words (``15 days``, ``15 working days``)."""
    plan = compiled(policies).plans.get(situation.subject_kind)
    rules = () if plan is None else plan.rules.get(service, ())
    return _decision(policies, service, rules, _Shared(situation, review_days))


@cache
def _allow_all(services: tuple[str, ...]) -> tuple[Decision, ...]:
    return tuple(_allow(service) for service in services)


def _reached(policies: PolicySet, plan: Plan, situation: Situation) -> set[str]:
    """The services where some measure may be active: a list the subject is on, or a score
    condition that holds, names them."""
    reached: set[str] = set()
    for list_id in situation.memberships:
        reached.update(plan.by_list.get(list_id, ()))
    for condition, services in plan.by_score:
        score = situation.scores.get(condition.model)
        if score is not None and holds(condition, score):
            reached.update(services)
    reaching = compiled(policies).reaching
    for reach in situation.reaches:
        reached.update(reaching.get(reach.membership.list, {}))
    return reached


def decide_all(
    policies: PolicySet, situation: Situation, review_days: Mapping[str, str]
) -> tuple[Decision, ...]:
    """The decision at every service named by a loaded measure, by service id."""
    plan = compiled(policies).plans.get(situation.subject_kind)
    if plan is None:
        return _allow_all(policies.service_ids())
    reached = _reached(policies, plan, situation)
    if not reached:
        return _allow_all(plan.services)
    shared = _Shared(situation, review_days)
    return tuple(
        _decision(policies, service, plan.rules[service], shared)
        if service in reached
        else _allow(service)
        for service in plan.services
    )
