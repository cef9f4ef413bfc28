"""Invariants of the engine, checked on random records (Hypothesis).

- adding a positive record never lowers a score, a negative one never raises it;
- a record past its term never counts;
- a record revoked before it takes effect is the same as no record;
- the result does not depend on the order of the records, and is deterministic;
- scores stay within their bounds and carry the grade of their band;
- the effect of a decision is the strongest effect among its reasons;
- a record decided while the subject was under 18 enters no black or watch list and never
  restricts (principle 13).
"""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.engine import (
    Record,
    assess,
    assess_with_next_change,
    next_change_after,
    resolve_organisation_codes,
)
from socialcredit.engine.minors import minor_on
from socialcredit.engine.timeline import timeline
from socialcredit.identity import birth_date, parse_subject
from socialcredit.policy import PolicySet
from socialcredit.policy.vocabulary import Polarity
from tests.strategies import (
    FILED_UNDER_CODE,
    MINOR,
    ORGANISATION,
    PERSON,
    TURNING_ADULT,
    as_of_dates,
    filed_under_code,
    record_lists,
    records,
)

SUBJECTS = st.sampled_from([(PERSON, "person"), (ORGANISATION, "organisation")])
EFFECTS = ("deny", "restrict", "benefit", "allow")


def _scores(policies: PolicySet, recs: list[Record], subject: str, day: date) -> dict[str, int]:
    return {s.model: s.value for s in assess(policies, recs, subject, day).scores}


def _without_explanations(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k != "records"}


@settings(max_examples=150, deadline=None)
@given(data=st.data(), subject=SUBJECTS, day=as_of_dates())
def test_adding_a_record_moves_scores_only_its_way(
    lab_policy: PolicySet, data: st.DataObject, subject: tuple[str, str], day: date
) -> None:
    sid, kind = subject
    base = data.draw(record_lists(lab_policy, sid, kind))
    extra = data.draw(records(lab_policy, sid, kind, "zz-extra"))
    before = _scores(lab_policy, base, sid, day)
    after = _scores(lab_policy, [*base, extra], sid, day)
    positive = lab_policy.items[extra.item].polarity is Polarity.POSITIVE
    for model, value in before.items():
        if positive:
            assert after[model] >= value
        else:
            assert after[model] <= value


@settings(max_examples=150, deadline=None)
@given(data=st.data(), subject=SUBJECTS, day=as_of_dates())
def test_a_record_past_its_term_never_counts(
    lab_policy: PolicySet, data: st.DataObject, subject: tuple[str, str], day: date
) -> None:
    sid, kind = subject
    base = data.draw(record_lists(lab_policy, sid, kind))
    extra = data.draw(records(lab_policy, sid, kind, "zz-old"))
    item = lab_policy.items[extra.item]
    line = timeline(extra, item, lab_policy.review_days(extra.item))
    late = max(day, line.term_end)
    with_it = assess(lab_policy, [*base, extra], sid, late)
    without = assess(lab_policy, base, sid, late)
    assert [s.value for s in with_it.scores] == [s.value for s in without.scores]
    assert all(c.record != extra.id for s in with_it.scores for c in s.contributions)
    assert [d.effect for d in with_it.decisions] == [d.effect for d in without.decisions]
    assert {m.list for m in with_it.lists} == {m.list for m in without.lists}


@settings(max_examples=150, deadline=None)
@given(data=st.data(), subject=SUBJECTS, day=as_of_dates())
def test_revocation_before_effect_equals_absence(
    lab_policy: PolicySet, data: st.DataObject, subject: tuple[str, str], day: date
) -> None:
    sid, kind = subject
    base = data.draw(record_lists(lab_policy, sid, kind))
    extra = data.draw(records(lab_policy, sid, kind, "zz-void"))
    void = dataclasses.replace(extra, revoked_on=extra.decided_on)
    with_it = assess(lab_policy, [*base, void], sid, day).to_dict()
    without = assess(lab_policy, base, sid, day).to_dict()
    assert _without_explanations(with_it) == _without_explanations(without)


@settings(max_examples=100, deadline=None)
@given(data=st.data(), subject=SUBJECTS, day=as_of_dates(), seed=st.integers(0, 2**32))
def test_order_independence_and_determinism(
    lab_policy: PolicySet, data: st.DataObject, subject: tuple[str, str], day: date, seed: int
) -> None:
    sid, kind = subject
    recs = data.draw(record_lists(lab_policy, sid, kind))
    shuffled = list(recs)
    random.Random(seed).shuffle(shuffled)
    first = assess(lab_policy, recs, sid, day).to_dict()
    assert assess(lab_policy, shuffled, sid, day).to_dict() == first
    assert assess(lab_policy, recs, sid, day).to_dict() == first


@settings(max_examples=150, deadline=None)
@given(data=st.data(), subject=SUBJECTS, day=as_of_dates())
def test_scores_and_decisions_are_consistent(
    lab_policy: PolicySet, data: st.DataObject, subject: tuple[str, str], day: date
) -> None:
    sid, kind = subject
    result = assess(lab_policy, data.draw(record_lists(lab_policy, sid, kind)), sid, day)
    for score in result.scores:
        model = lab_policy.models[score.model]
        assert model.min <= score.value <= model.max
        raw = model.base + sum(c.points for c in score.contributions)
        assert score.value == min(model.max, max(model.min, raw))
    for decision in result.decisions:
        strongest = min((EFFECTS.index(r["effect"]) for r in decision.reasons), default=3)
        assert decision.effect == EFFECTS[strongest]
        if decision.effect in ("deny", "restrict") and any("list" in r for r in decision.reasons):
            assert decision.remedies
    listed = {m.list for m in result.lists}
    assert not {"lab-red", "lab-black"} <= listed  # the red list is excluded by the black list


@settings(max_examples=150, deadline=None)
@given(data=st.data(), subject=SUBJECTS, day=as_of_dates(), offset=st.integers(1, 2000))
def test_nothing_changes_before_the_next_change_date(
    lab_policy: PolicySet,
    data: st.DataObject,
    subject: tuple[str, str],
    day: date,
    offset: int,
) -> None:
    sid, kind = subject
    recs = data.draw(record_lists(lab_policy, sid, kind))
    upcoming = next_change_after(lab_policy, recs, sid, day)
    later = day + timedelta(days=offset)
    if upcoming is not None:
        later = min(later, upcoming - timedelta(days=1))
    now = assess(lab_policy, recs, sid, day).to_dict()
    then = assess(lab_policy, recs, sid, later).to_dict()
    del now["as_of"], then["as_of"]
    assert now == then


@settings(max_examples=100, deadline=None)
@given(data=st.data(), subject=SUBJECTS, day=as_of_dates())
def test_assess_with_next_change_equals_the_two_calls(
    lab_policy: PolicySet, data: st.DataObject, subject: tuple[str, str], day: date
) -> None:
    sid, kind = subject
    recs = data.draw(record_lists(lab_policy, sid, kind))
    together = assess_with_next_change(lab_policy, recs, sid, day)
    assert together[0].to_dict() == assess(lab_policy, recs, sid, day).to_dict()
    assert together[1] == next_change_after(lab_policy, recs, sid, day)


MINOR_SUBJECTS = st.sampled_from([MINOR, TURNING_ADULT])


@settings(max_examples=200, deadline=None)
@given(data=st.data(), subject=MINOR_SUBJECTS, day=as_of_dates())
def test_a_minors_record_never_lists_or_restricts(
    lab_policy: PolicySet, data: st.DataObject, subject: str, day: date
) -> None:
    """Principle 13: the records decided while the subject was under 18 are protected, enter
    no black or watch list and never make a deny or restrict hold; leaving them out changes
    nothing of the black and watch lists, and no restriction depends on them."""
    recs = data.draw(record_lists(lab_policy, subject, "person"))
    result = assess(lab_policy, recs, subject, day)
    born = birth_date(parse_subject(subject))
    assert born is not None
    minors = {r.id for r in recs if r.decided_on <= day and minor_on(born, r.decided_on)}
    assert {p.record for p in result.protections} == minors
    adults_only = assess(lab_policy, [r for r in recs if r.id not in minors], subject, day)
    guarded = ("black", "watch")
    assert [m for m in result.lists if m.kind in guarded] == [
        m for m in adults_only.lists if m.kind in guarded
    ]
    for decision in result.decisions:
        for reason in decision.reasons:
            if reason["effect"] in ("deny", "restrict"):
                assert not minors & set(reason.get("records", ()))
    restricted = {d.service for d in result.decisions if d.effect in ("deny", "restrict")}
    assert restricted <= {
        d.service for d in adults_only.decisions if d.effect in ("deny", "restrict")
    }


def test_age_is_reached_the_day_after_the_eighteenth_birthday() -> None:
    assert minor_on(date(2007, 6, 2), date(2025, 6, 2))
    assert not minor_on(date(2007, 6, 2), date(2025, 6, 3))
    assert minor_on(date(2004, 2, 29), date(2022, 2, 28))
    assert not minor_on(date(2004, 2, 29), date(2022, 3, 1))
    assert not minor_on(date(1949, 12, 31), date(2020, 1, 1))


@settings(max_examples=100, deadline=None)
@given(data=st.data(), day=as_of_dates())
def test_records_filed_under_the_old_code_are_the_organisations_own(
    lab_policy: PolicySet, data: st.DataObject, day: date
) -> None:
    """Some of an organisation's records filed under the organisation code its credit code
    embeds, read together with the rest: the same assessment as all filed under the code."""
    recs = data.draw(record_lists(lab_policy, FILED_UNDER_CODE, "organisation"))
    filed = data.draw(filed_under_code(recs))
    resolution = resolve_organisation_codes(filed)
    assert not resolution.refused and list(resolution.records) == recs
    expected = assess(lab_policy, recs, FILED_UNDER_CODE, day).to_dict()
    assert assess(lab_policy, resolution.records, FILED_UNDER_CODE, day).to_dict() == expected
