"""``assess(policies, records, subject, as_of, links=()) -> Assessment``: the single meaning of
a policy.

Pure and deterministic: the same policies, records, links and date always give the same
assessment, whatever their order. Every other executor must agree with this function. For a
person, ``links`` are its links to organisations and ``records`` hold those organisations'
records too: a listed organisation's measures reach the person through a link in a role they
name (:mod:`socialcredit.engine.reach`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from operator import attrgetter

from socialcredit.engine.assessment import Assessment, LinkState, RecordState
from socialcredit.engine.compiled import compiled
from socialcredit.engine.decisions import Situation, decide_all
from socialcredit.engine.links import Link, LinkLine
from socialcredit.engine.lists import ListHistory, Membership, histories_of, membership_on
from socialcredit.engine.minors import Decided, Protection, guarded_scores, minor_on, protections
from socialcredit.engine.reach import Reach, adult_from, link_lines, reaches_on
from socialcredit.engine.records import Record
from socialcredit.engine.scoring import rule_score
from socialcredit.engine.timeline import Timeline, known_on, timeline
from socialcredit.identity import SubjectId, SubjectKind, birth_date, parse_subject
from socialcredit.policy.models import ListDef
from socialcredit.policy.policyset import PolicySet

_BY_ID = attrgetter("id")


def timelines_for(
    policies: PolicySet, records: Iterable[Record], subject: str, day: date
) -> list[Timeline]:
    """Timelines of the subject's records as known on ``day``, sorted by record id."""
    own = []
    for r in records:
        if r.subject == subject and (seen := known_on(r, day)) is not None:
            own.append(seen)
    own.sort(key=_BY_ID)
    items = policies.items
    return [
        timeline(r, items[r.item], policies.review_days(r.item), policies.review_working(r.item))
        for r in own
    ]


@dataclass(frozen=True, slots=True)
class Evaluation:
    """What every answer about one subject on one day is computed from, computed once."""

    subject: SubjectId
    timelines: list[Timeline]
    histories: list[tuple[ListDef, ListHistory]]
    protections: tuple[Protection, ...] = ()
    links: tuple[LinkLine, ...] = ()
    """The person's links as known on the day, by link id."""
    reaches: tuple[Reach, ...] = ()
    organisations: tuple[Evaluation, ...] = ()
    """The evaluations of the organisations of those links, by identifier."""
    adult_from: date | None = None
    """For a person with links who is a minor on the day: the first day as an adult."""

    @property
    def protected(self) -> frozenset[str]:
        """The ids of the records protected by principle 13."""
        return frozenset(p.record for p in self.protections)

    @property
    def kind(self) -> str:
        return str(self.subject.kind)


def _histories(
    policies: PolicySet, timelines: list[Timeline], kind: str, protected: frozenset[str]
) -> list[tuple[ListDef, ListHistory]]:
    """The history of every list the subject can be on, by list id."""
    items = {t.record.item for t in timelines}
    found = histories_of(policies, timelines, kind, protected)
    return [
        (rule.list, found.of(list_id))
        for list_id, rule in compiled(policies).lists.items()
        # a list entered only by items none of the subject's records has is never reached
        if rule.score is not None or not items.isdisjoint(rule.terms)
    ]


def evaluate(
    policies: PolicySet,
    records: Iterable[Record],
    subject: str | SubjectId,
    day: date,
    links: Iterable[Link] = (),
) -> Evaluation:
    """Timelines and list histories of the subject's records as known on ``day``; for a person,
    its links and the organisations reaching it through them."""
    sid = subject if isinstance(subject, SubjectId) else parse_subject(subject)
    if sid.kind is SubjectKind.PERSON and links:
        return _linked(policies, records, sid, day, links)
    timelines = timelines_for(policies, records, sid.value, day)
    kind = str(sid.kind)
    decided = (Decided(t.record.id, t.record.item, t.record.decided_on) for t in timelines)
    protected = protections(policies, kind, birth_date(sid), decided)
    ids = frozenset(p.record for p in protected)
    return Evaluation(sid, timelines, _histories(policies, timelines, kind, ids), protected)


def _linked(
    policies: PolicySet,
    records: Iterable[Record],
    sid: SubjectId,
    day: date,
    links: Iterable[Link],
) -> Evaluation:
    """A person's evaluation with its links: the organisations they lead to are evaluated on
    the same day from their own records; a minor on the day is never reached (principle 13)."""
    records = records if isinstance(records, list | tuple) else list(records)
    links = links if isinstance(links, list | tuple) else list(links)
    own = evaluate(policies, records, sid, day)
    lines = link_lines(policies, links, sid.value, day)
    if not any(link.person == sid.value for link in links):
        return own  # no link of the person, known on the day or not
    organisations = {
        org: evaluate(policies, records, org, day)
        for org in sorted({line.link.organisation for line in lines})
    }
    born = birth_date(sid)
    minor = born is not None and minor_on(born, day)
    reaches = (
        ()
        if minor
        else reaches_on(policies, lines, lambda org: _memberships(organisations[org], day), day)
    )
    return replace(
        own,
        links=lines,
        reaches=reaches,
        organisations=tuple(organisations.values()),
        adult_from=adult_from(born) if minor and born is not None else None,
    )


def _memberships(evaluation: Evaluation, day: date) -> list[Membership]:
    found = (membership_on(history, lst, day) for lst, history in evaluation.histories)
    return [member for member in found if member is not None]


def _states(timelines: list[Timeline], day: date) -> tuple[RecordState, ...]:
    return tuple(
        RecordState(t.record.id, t.record.item, t.status_on(day), t.effective_from, t.stops_on)
        for t in timelines
    )


def assess(
    policies: PolicySet,
    records: Iterable[Record],
    subject: str | SubjectId,
    as_of: date,
    links: Iterable[Link] = (),
) -> Assessment:
    """Evaluate ``subject`` on ``as_of``: scores, list memberships, decisions, explanations.

    Only the records whose ``subject`` is this subject are considered, and, for a person, the
    links whose ``person`` it is with the records of their organisations; records and links
    must have been validated against ``policies`` (see :mod:`socialcredit.engine.validation`).
    """
    return assessment_of(policies, evaluate(policies, records, subject, as_of, links), as_of)


def assessment_of(policies: PolicySet, evaluation: Evaluation, as_of: date) -> Assessment:
    """The assessment on ``as_of`` from an :class:`Evaluation` made for that day."""
    sid, kind, timelines = evaluation.subject, evaluation.kind, evaluation.timelines
    rules = compiled(policies).models_by_kind.get(kind, ())
    scores = tuple(rule_score(rule, timelines, as_of) for rule in rules)
    memberships = _memberships(evaluation, as_of)
    protected = evaluation.protected
    guarded = guarded_scores(policies, scores, protected) if protected else None
    by_model = {s.model: s for s in scores}
    situation = Situation(
        kind, {m.list: m for m in memberships}, by_model, guarded, evaluation.reaches
    )
    # the review deadlines are only written in remedies, which only list memberships have
    review_days = (
        {t.record.id: policies.review_term(t.record.item) for t in timelines} if memberships else {}
    )
    return Assessment(
        subject=sid.value,
        subject_kind=kind,
        as_of=as_of,
        scores=scores,
        lists=tuple(memberships),
        decisions=decide_all(policies, situation, review_days),
        records=_states(timelines, as_of),
        policies=policies.policies,
        protections=evaluation.protections,
        links=tuple(LinkState.of(line, as_of, evaluation.adult_from) for line in evaluation.links),
    )
