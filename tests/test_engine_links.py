"""Principle 7 in the engine: a listed organisation's measures reaching its linked persons
(the court's example policy: the consumption restrictions name all four roles)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialcredit.engine import assess
from socialcredit.engine.changes import assess_with_next_change, next_change_after
from socialcredit.engine.links import Link, LinkSource, known_link_on
from socialcredit.engine.minors import minor_on
from socialcredit.engine.reach import adult_from
from socialcredit.engine.records import DisputeOutcome, Record
from socialcredit.identity import birth_date, parse_subject
from socialcredit.policy import PolicySet, load_policies
from tests.batch.populations import population_links
from tests.strategies import LINKED_ONLY, TURNING_ADULT, as_of_dates, record_lists

ROOT = Path(__file__).resolve().parents[1]
ORG = "91350100M000100Y43"
PERSON = "11010519491231002X"
MINOR = "110105201503010029"  # born 2015-03-01
CONSUMPTION = {
    "flight-booking",
    "rail-soft-sleeper",
    "rail-high-speed",
    "hotel-star-rated",
    "real-estate-purchase",
    "luxury-travel",
}


@pytest.fixture(scope="module")
def court() -> PolicySet:
    return load_policies([ROOT / "policies" / "examples" / "judgment-defaulters.yaml"])


def listed(**dates: date) -> Record:
    """The organisation's default: effective 2025-01-09 (7 days' notice), listed until
    resolved."""
    return Record(
        "r1", ORG, "organisation", "SPC-REFUSE", date(2025, 1, 2), "court", "(2025) Zhi 1", **dates
    )


def link(person: str = PERSON, **fields: object) -> Link:
    base = Link(
        "k1",
        ORG,
        person,
        "legal_representative",
        date(2020, 1, 1),
        LinkSource.REGISTRATION,
        "Market regulator",
        "REG-1",
    )
    return replace(base, **fields)  # type: ignore[arg-type]


def denied(policies: PolicySet, day: date, *links: Link, person: str = PERSON) -> set[str]:
    result = assess(policies, [listed()], person, day, links=links)
    return {d.service for d in result.decisions if d.effect == "deny"}


def test_listed_organisation_reaches_its_legal_representative(court: PolicySet) -> None:
    result = assess(court, [listed()], PERSON, date(2025, 6, 1), links=[link()])
    decisions = {d.service: d for d in result.decisions}
    assert {s for s, d in decisions.items() if d.effect == "deny"} == CONSUMPTION
    assert decisions["public-procurement-bid"].effect == "allow"  # targets only the subject
    (reason,) = decisions["flight-booking"].reasons
    assert reason["organisation"] == ORG and reason["link"]["id"] == "k1"
    assert reason["measure"] == "deny-responsible-persons-consumption"
    assert (reason["since"], reason["until"]) == ("2025-01-09", "2028-01-09")
    (remedy,) = decisions["flight-booking"].remedies
    assert remedy["link"] == "k1" and "object to it" in remedy["objection"][0]
    assert result.lists == ()  # the person is not on the list itself
    assert [k.status for k in result.links] == ["holding"]


def test_the_organisation_itself_gets_only_subject_measures(court: PolicySet) -> None:
    result = assess(court, [listed()], ORG, date(2025, 6, 1), links=[link()])
    reasons = [r for d in result.decisions for r in d.reasons]
    assert reasons and all(r["measure"] != "deny-responsible-persons-consumption" for r in reasons)
    assert all("link" not in r for r in reasons)


def test_before_listing_and_after_resolution_nobody_is_reached(court: PolicySet) -> None:
    assert denied(court, date(2025, 1, 8), link()) == set()
    record = listed(resolved_on=date(2025, 3, 1))
    result = assess(court, [record], PERSON, date(2025, 3, 1), links=[link()])
    assert all(d.effect == "allow" for d in result.decisions)


def test_an_ended_link_no_longer_reaches(court: PolicySet) -> None:
    ended = link(valid_to=date(2025, 3, 1))
    assert denied(court, date(2025, 2, 28), ended) == CONSUMPTION
    assert denied(court, date(2025, 3, 1), ended) == set()
    result = assess(court, [listed()], PERSON, date(2025, 3, 1), links=[ended])
    assert [k.status for k in result.links] == ["ended"]


def test_a_link_starting_later_is_not_known(court: PolicySet) -> None:
    later = link(valid_from=date(2025, 7, 1))
    assert denied(court, date(2025, 6, 30), later) == set()
    assert denied(court, date(2025, 7, 1), later) == CONSUMPTION
    _, nxt = assess_with_next_change(court, [listed()], PERSON, date(2025, 6, 1), links=[later])
    assert nxt == date(2025, 7, 1)


def test_objection_revoking_the_link_frees_the_person_not_the_organisation(
    court: PolicySet,
) -> None:
    objected = link(
        disputed_on=date(2025, 6, 1),
        dispute_decided_on=date(2025, 6, 10),
        dispute_outcome=DisputeOutcome.REVOKED,
    )
    assert denied(court, date(2025, 6, 9), objected) == CONSUMPTION  # disputed, within 15 days
    assert denied(court, date(2025, 6, 10), objected) == set()
    org = assess(court, [listed()], ORG, date(2025, 6, 10))
    assert [m.list for m in org.lists] == ["dishonest-judgment-defaulters"]
    # as known on 2025-06-09 the decision is not known yet
    assert known_link_on(objected, date(2025, 6, 9)) == link(disputed_on=date(2025, 6, 1))


def test_an_overdue_objection_suspends_the_link_until_decided(court: PolicySet) -> None:
    objected = link(
        disputed_on=date(2025, 6, 1),
        dispute_decided_on=date(2025, 8, 1),
        dispute_outcome=DisputeOutcome.UPHELD,
    )
    assert denied(court, date(2025, 6, 15), objected) == CONSUMPTION
    assert denied(court, date(2025, 6, 16), objected) == set()  # 15 days passed undecided
    assert denied(court, date(2025, 8, 1), objected) == CONSUMPTION  # upheld: holds again
    result = assess(court, [listed()], PERSON, date(2025, 6, 16), links=[objected])
    assert [k.status for k in result.links] == ["suspended"]
    assert next_change_after(court, [listed()], PERSON, date(2025, 6, 2), [objected]) == date(
        2025, 6, 16
    )


def test_a_minor_is_never_reached(court: PolicySet) -> None:
    minor = link(MINOR)
    assert denied(court, date(2025, 6, 1), minor, person=MINOR) == set()
    adult = adult_from(date(2015, 3, 1))
    assert adult == date(2033, 3, 2)
    _, nxt = assess_with_next_change(court, [listed()], MINOR, date(2032, 1, 1), links=[minor])
    assert nxt == adult
    assert adult_from(date(2008, 2, 29)) == date(2026, 3, 1)


def test_links_of_other_persons_and_benefits_do_not_reach(court: PolicySet) -> None:
    other = link("440524188001010014")
    assert denied(court, date(2025, 6, 1), other) == set()


def test_reasons_keep_the_strongest_effect_first(court: PolicySet) -> None:
    own = Record("p1", PERSON, "person", "SPC-REFUSE", date(2025, 1, 2), "court", "(2025) Zhi 2")
    result = assess(court, [listed(), own], PERSON, date(2025, 6, 1), links=[link()])
    flight = next(d for d in result.decisions if d.service == "flight-booking")
    assert [r["measure"] for r in flight.reasons] == [
        "deny-flights",
        "deny-responsible-persons-consumption",
    ]
    assert [r.get("link") for r in flight.remedies] == [None, "k1"]


LINKED = st.sampled_from([PERSON, MINOR, TURNING_ADULT, LINKED_ONLY])


def _population(
    data: st.DataObject, policies: PolicySet, day: date
) -> tuple[list[Record], list[Link]]:
    links, listed = population_links(data, policies, day)
    organisations = [ORG, "91110000600037341L"]
    recs = [
        replace(r, id=f"{n}-{r.id}")
        for n, org in enumerate(organisations)
        for r in data.draw(record_lists(policies, org, "organisation"))
    ]
    return recs + listed, links


@settings(max_examples=120, deadline=None)
@given(data=st.data(), person=LINKED, day=as_of_dates(), offset=st.integers(1, 2000))
def test_nothing_changes_before_the_next_change_date(
    court: PolicySet, data: st.DataObject, person: str, day: date, offset: int
) -> None:
    recs, links = _population(data, court, day)
    found, upcoming = assess_with_next_change(court, recs, person, day, links)
    assert upcoming == next_change_after(court, recs, person, day, links)
    assert found.to_dict() == assess(court, recs, person, day, links).to_dict()
    later = day + timedelta(days=offset)
    if upcoming is not None:
        later = min(later, upcoming - timedelta(days=1))
    now = found.to_dict()
    then = assess(court, recs, person, later, links).to_dict()
    del now["as_of"], then["as_of"]
    assert now == then


@settings(max_examples=120, deadline=None)
@given(data=st.data(), person=LINKED, day=as_of_dates())
def test_reasons_through_links_follow_principles_7_and_13(
    court: PolicySet, data: st.DataObject, person: str, day: date
) -> None:
    recs, links = _population(data, court, day)
    result = assess(court, recs, person, day, links)
    by_id = {k.id: k for k in links}
    states = {k.link: k.status for k in result.links}
    born = birth_date(parse_subject(person))
    for decision in result.decisions:
        for reason in decision.reasons:
            if "link" not in reason:
                continue
            link = by_id[reason["link"]["id"]]
            assert link.person == person and states[link.id] in ("holding", "disputed")
            assert born is not None and not minor_on(born, day)
            measure = next(
                m
                for memo in court.memoranda.values()
                for m in memo.measures
                if m.id == reason["measure"]
            )
            assert link.role in measure.targets and reason["effect"] in ("deny", "restrict")
            listed = assess(court, recs, link.organisation, day).lists
            assert reason["list"] in {m.list for m in listed}
    without = assess(court, recs, person, day)
    own = {(d.service, r["measure"]) for d in without.decisions for r in d.reasons}
    assert own == {
        (d.service, r["measure"]) for d in result.decisions for r in d.reasons if "link" not in r
    }
