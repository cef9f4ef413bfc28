"""When can a subject's assessment next change, with no new record or event?

Time alone moves assessments: notice periods end, terms expire, objection deadlines pass, list
windows close. Every such moment is a boundary of some record's timeline or list window; for a
person with links, also a date of a link (its start, end, revocation, objection, decision and
review deadline), the day the person turns adult (a minor with links), and any change of an
organisation it is linked to by a link known on the day (that organisation's own change dates). The
registry stores the next one per subject (indexed), so that a periodic tick touches only the
subjects whose assessment may have changed, instead of scanning the population.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from socialcredit.engine.assess import Evaluation, assessment_of, evaluate
from socialcredit.engine.assessment import Assessment
from socialcredit.engine.intervals import OPEN_END
from socialcredit.engine.links import Link, link_events
from socialcredit.engine.records import Record
from socialcredit.engine.scoring import card_change_dates
from socialcredit.engine.timeline import Timeline
from socialcredit.identity import SubjectId
from socialcredit.policy.policyset import PolicySet


def _timeline_dates(line: Timeline) -> set[date]:
    """Where the record starts or stops counting, is suspended, and where its term ends."""
    dates = {line.effective_from, line.term_end}
    return dates | line.counting.boundaries() | line.suspended.boundaries()


def _event_dates(record: Record) -> set[date]:
    """The dates on which a fact about the record becomes known."""
    events = (
        record.decided_on,
        record.resolved_on,
        record.revoked_on,
        record.disputed_on,
        record.dispute_decided_on,
    )
    return {d for d in events if d is not None}


def _link_dates(evaluation: Evaluation, links: Iterable[Link]) -> set[date]:
    """The dates of the person's links (known on the day or not), their timelines' boundaries
    and the day the person turns adult."""
    person = evaluation.subject.value
    dates: set[date] = set().union(*(link_events(k) for k in links if k.person == person))
    for line in evaluation.links:
        dates |= line.holding.boundaries() | line.suspended.boundaries() | {line.ends_on}
    if evaluation.adult_from is not None:
        dates.add(evaluation.adult_from)
    return dates


def _change_dates(
    policies: PolicySet,
    evaluation: Evaluation,
    records: Iterable[Record],
    day: date,
    links: Iterable[Link] = (),
) -> list[date]:
    own = (r for r in records if r.subject == evaluation.subject.value)
    dates: set[date] = set().union(*(_event_dates(r) for r in own))
    dates |= _link_dates(evaluation, links)
    for organisation in evaluation.organisations:
        dates.update(_change_dates(policies, organisation, records, day))
    dates |= card_change_dates(policies, evaluation.kind, evaluation.timelines, day)
    for line in evaluation.timelines:
        dates |= _timeline_dates(line)
    for _lst, history in evaluation.histories:
        dates |= history.days.boundaries()
        for window in history.by_record.values():
            dates |= window.boundaries()
    return sorted(d for d in dates if d not in (OPEN_END, date.min))


def change_dates(
    policies: PolicySet,
    records: Iterable[Record],
    subject: str | SubjectId,
    day: date,
    links: Iterable[Link] = (),
) -> list[date]:
    """Every date on which the subject's assessment may change, as known on ``day``, sorted.

    Facts dated after ``day`` are not known yet, but the dates they become known are included.
    """
    records, links = list(records), list(links)
    evaluation = evaluate(policies, records, subject, day, links)
    return _change_dates(policies, evaluation, records, day, links)


def next_change_after(
    policies: PolicySet,
    records: Iterable[Record],
    subject: str | SubjectId,
    day: date,
    links: Iterable[Link] = (),
) -> date | None:
    """The first date after ``day`` on which the assessment may change; ``None`` if never.

    Between ``day`` and that date (exclusive) ``assess`` gives the same scores, lists and
    decisions, and the same record and link statuses, as on ``day``.
    """
    dates = change_dates(policies, records, subject, day, links)
    return next((d for d in dates if d > day), None)


def _first_after(dates: Iterable[date], day: date, first: date) -> date:
    """The earliest of ``first`` and the ``dates`` after ``day``."""
    for d in dates:
        if day < d < first:
            first = d
    return first


def _next_change(
    policies: PolicySet,
    evaluation: Evaluation,
    records: Iterable[Record],
    day: date,
    links: Iterable[Link] = (),
) -> date | None:
    """The first of :func:`_change_dates` after ``day`` (without collecting them all)."""
    subject = evaluation.subject.value
    cards = card_change_dates(policies, evaluation.kind, evaluation.timelines, day)
    first = _first_after(cards, day, OPEN_END)  # OPEN_END is never a change date
    if evaluation.links or evaluation.adult_from or links:
        first = _first_after(_link_dates(evaluation, links), day, first)
    for organisation in evaluation.organisations:
        found = _next_change(policies, organisation, records, day)
        if found is not None:
            first = min(first, found)
    for r in records:
        if r.subject == subject:
            first = _first_after(_event_dates(r), day, first)
    for line in evaluation.timelines:
        first = _first_after((line.effective_from, line.term_end), day, first)
        for part in (*line.counting.parts, *line.suspended.parts):
            first = _first_after((part.start, part.end), day, first)
    for _lst, history in evaluation.histories:
        for part in history.days.parts:
            first = _first_after((part.start, part.end), day, first)
        for window in history.by_record.values():
            for part in window.parts:
                first = _first_after((part.start, part.end), day, first)
    return None if first == OPEN_END else first


def assess_with_next_change(
    policies: PolicySet,
    records: Iterable[Record],
    subject: str | SubjectId,
    as_of: date,
    links: Iterable[Link] = (),
) -> tuple[Assessment, date | None]:
    """``assess`` and ``next_change_after`` together, from one evaluation of the records."""
    records = records if isinstance(records, list | tuple) else list(records)
    links = links if isinstance(links, list | tuple) else list(links)
    evaluation = evaluate(policies, records, subject, as_of, links)
    return assessment_of(policies, evaluation, as_of), _next_change(
        policies, evaluation, records, as_of, links
    )
