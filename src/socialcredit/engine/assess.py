"""``assess(policies, records, subject, as_of) -> Assessment``: the single meaning of a policy.

Pure and deterministic: the same policies, records and date always give the same assessment,
whatever the order of the records. Every other executor must agree with this function.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from socialcredit.engine.assessment import Assessment, RecordState
from socialcredit.engine.decisions import Situation, decide
from socialcredit.engine.lists import ListHistory, Membership, list_history, membership_on
from socialcredit.engine.records import Record
from socialcredit.engine.scoring import Score, score_on
from socialcredit.engine.timeline import Timeline, known_on, timeline
from socialcredit.identity import SubjectId, parse_subject
from socialcredit.policy.models import ListDef
from socialcredit.policy.policyset import PolicySet


def timelines_for(
    policies: PolicySet, records: Iterable[Record], subject: str, day: date
) -> list[Timeline]:
    """Timelines of the subject's records as known on ``day``, sorted by record id."""
    known = (known_on(r, day) for r in records if r.subject == subject)
    own = sorted((r for r in known if r is not None), key=lambda r: r.id)
    return [timeline(r, policies.items[r.item], policies.review_days(r.item)) for r in own]


def _scores(policies: PolicySet, timelines: list[Timeline], kind: str, day: date) -> list[Score]:
    return [
        score_on(policies, model, timelines, day)
        for _model_id, model in sorted(policies.models.items())
        if kind in model.subject_kinds
    ]


@dataclass(frozen=True)
class Evaluation:
    """What every answer about one subject on one day is computed from, computed once."""

    subject: SubjectId
    timelines: list[Timeline]
    histories: list[tuple[ListDef, ListHistory]]

    @property
    def kind(self) -> str:
        return str(self.subject.kind)


def _histories(
    policies: PolicySet, timelines: list[Timeline], kind: str
) -> list[tuple[ListDef, ListHistory]]:
    """The history of every list the subject can be on, by list id."""
    items = {t.record.item for t in timelines}
    return [
        (lst, list_history(policies, lst, timelines, kind))
        for _list_id, lst in sorted(policies.lists.items())
        # a list entered only by items none of the subject's records has is never reached
        if lst.entry.score is not None or items & {e.item for e in lst.entry.items}
    ]


def evaluate(
    policies: PolicySet, records: Iterable[Record], subject: str | SubjectId, day: date
) -> Evaluation:
    """Timelines and list histories of the subject's records as known on ``day``."""
    sid = subject if isinstance(subject, SubjectId) else parse_subject(subject)
    timelines = timelines_for(policies, records, sid.value, day)
    return Evaluation(sid, timelines, _histories(policies, timelines, str(sid.kind)))


def _memberships(evaluation: Evaluation, day: date) -> list[Membership]:
    found = (membership_on(history, lst, day) for lst, history in evaluation.histories)
    return [member for member in found if member is not None]


def _states(timelines: list[Timeline], day: date) -> tuple[RecordState, ...]:
    return tuple(
        RecordState(t.record.id, t.record.item, t.status_on(day), t.effective_from, t.stops_on)
        for t in timelines
    )


def assess(
    policies: PolicySet, records: Iterable[Record], subject: str | SubjectId, as_of: date
) -> Assessment:
    """Evaluate ``subject`` on ``as_of``: scores, list memberships, decisions, explanations.

    Only the records whose ``subject`` is this subject are considered; records must have been
    validated against ``policies`` (see :mod:`socialcredit.engine.validation`).
    """
    return assessment_of(policies, evaluate(policies, records, subject, as_of), as_of)


def assessment_of(policies: PolicySet, evaluation: Evaluation, as_of: date) -> Assessment:
    """The assessment on ``as_of`` from an :class:`Evaluation` made for that day."""
    sid, kind, timelines = evaluation.subject, evaluation.kind, evaluation.timelines
    scores = _scores(policies, timelines, kind, as_of)
    memberships = _memberships(evaluation, as_of)
    situation = Situation(kind, {m.list: m for m in memberships}, {s.model: s for s in scores})
    review_days = {t.record.id: policies.review_days(t.record.item) for t in timelines}
    decisions = tuple(
        decide(policies, service, situation, review_days) for service in policies.service_ids()
    )
    return Assessment(
        subject=sid.value,
        subject_kind=kind,
        as_of=as_of,
        scores=tuple(scores),
        lists=tuple(memberships),
        decisions=decisions,
        records=_states(timelines, as_of),
        policies=policies.policies,
    )
