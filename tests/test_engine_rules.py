"""Engine rules pinned by small hand-checked cases on the lab policy (tests/fixtures)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from socialcredit.engine import Record, RepairCase, assess, next_change_after
from socialcredit.engine.intervals import Interval, IntervalSet
from socialcredit.engine.timeline import known_on
from socialcredit.policy import PolicySet
from tests.strategies import PERSON


def make_record(item: str, decided_on: date, **dates: date) -> Record:
    """A record of ``item`` for the test person, with its deciding document."""
    return Record(
        id=item.lower(),
        subject=PERSON,
        subject_kind="person",
        item=item,
        authority="Test Authority",
        reference=f"REF-{item}",
        decided_on=decided_on,
        **dates,
    )


def arrears(**dates: date) -> Record:
    """NEG-ARREARS: notice 10 days, counts 5y, keeps counting on resolution; black list 1y."""
    return make_record("NEG-ARREARS", date(2020, 1, 1), **dates)


def judgment(**dates: date) -> Record:
    """NEG-JUDGMENT: notice 7 days, counts 3y, black list until resolved (max 2y)."""
    return make_record("NEG-JUDGMENT", date(2024, 1, 1), **dates)


def status(policies: PolicySet, record: Record, day: date) -> str:
    return assess(policies, [record], PERSON, day).records[0].status


def test_keep_counting_item_expires_rather_than_resolves(lab_policy: PolicySet) -> None:
    record = arrears(resolved_on=date(2021, 1, 1))
    assert status(lab_policy, record, date(2024, 1, 1)) == "counting"
    assert status(lab_policy, record, date(2025, 1, 11)) == "expired"


def test_resolved_during_notice_is_resolved(lab_policy: PolicySet) -> None:
    record = judgment(resolved_on=date(2024, 1, 3))
    assert status(lab_policy, record, date(2024, 1, 5)) == "resolved"
    assert status(lab_policy, record, date(2024, 1, 2)) == "pending"


def test_until_resolved_ends_at_resolution_even_when_the_item_keeps_counting(
    lab_policy: PolicySet,
) -> None:
    fee = make_record("NEG-FEE", date(2024, 1, 1), resolved_on=date(2024, 6, 1))
    before = assess(lab_policy, [fee], PERSON, date(2024, 5, 31))
    assert [(m.list, m.since) for m in before.lists] == [("lab-watch", date(2024, 1, 6))]
    after = assess(lab_policy, [fee], PERSON, date(2024, 6, 1))
    assert after.lists == ()
    assert after.records[0].status == "counting"  # keep_counting: the points still count
    assert after.scores[0].value == 90


def test_facts_after_the_assessment_date_are_not_used(lab_policy: PolicySet) -> None:
    record = judgment(resolved_on=date(2024, 6, 1), disputed_on=date(2024, 5, 1))
    before = assess(lab_policy, [record], PERSON, date(2024, 3, 1))
    assert before.records[0].status == "counting"  # neither objection nor resolution known yet
    assert before.lists[0].until == date(2026, 1, 8)  # until_resolved capped by max_duration 2y
    later = replace(record, id="j2", decided_on=date(2024, 4, 1))
    assert len(assess(lab_policy, [record, later], PERSON, date(2024, 3, 1)).records) == 1


def test_interval_set_algebra() -> None:
    a = IntervalSet.of([Interval(date(2024, 1, 1), date(2024, 3, 1))])
    b = IntervalSet.of([Interval(date(2024, 2, 1), date(2024, 4, 1))])
    assert a.union(b).parts == (Interval(date(2024, 1, 1), date(2024, 4, 1)),)
    assert a.intersect(b).parts == (Interval(date(2024, 2, 1), date(2024, 3, 1)),)
    assert a.minus(b).parts == (Interval(date(2024, 1, 1), date(2024, 2, 1)),)
    adjacent = IntervalSet.of([Interval(date(2024, 1, 1), date(2024, 2, 1)), *b.parts])
    assert len(adjacent.parts) == 1
    assert a.complement().complement() == a


def test_a_repair_application_decided_late_suspends_its_record(lab_policy: PolicySet) -> None:
    """Undecided at its deadline, a repair application suspends the record it covers until its
    decision; an assessment as of an earlier day knows nothing of it, nor of a later decision."""
    late = RepairCase(date(2024, 3, 1), date(2024, 3, 16), date(2024, 4, 1))
    record = replace(judgment(), repairs=(late,))
    assert status(lab_policy, record, date(2024, 3, 15)) == "counting"
    assert status(lab_policy, record, date(2024, 3, 16)) == "suspended"
    assert status(lab_policy, record, date(2024, 3, 31)) == "suspended"
    assert status(lab_policy, record, date(2024, 4, 1)) == "counting"
    seen = known_on(record, date(2024, 3, 20))
    assert seen is not None and seen.repairs == (replace(late, decided_on=None),)
    before = known_on(record, date(2024, 2, 28))
    assert before is not None and before.repairs == ()
    in_time = replace(judgment(), repairs=(replace(late, decided_on=date(2024, 3, 10)),))
    assert status(lab_policy, in_time, date(2024, 3, 20)) == "counting"


def test_a_repair_deadline_is_a_change_date(lab_policy: PolicySet) -> None:
    pending = RepairCase(date(2024, 3, 1), date(2024, 3, 16))
    record = replace(judgment(), repairs=(pending,))
    assert next_change_after(lab_policy, [record], PERSON, date(2024, 3, 2)) == date(2024, 3, 16)
