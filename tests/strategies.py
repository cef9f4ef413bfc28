"""Hypothesis strategies: valid records for one subject under a loaded policy."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from socialcredit.engine import DisputeOutcome, NoticeState, Record
from socialcredit.engine.links import Link, LinkSource
from socialcredit.engine.records import UNSERVED
from socialcredit.policy import PolicySet

PERSON = "11010519491231002X"
ORGANISATION = "91350100M000100Y43"
MINOR = "110105201503010029"
"""Born 2015-03-01: under 18 on every decision date the strategies draw (principle 13)."""
PERMIT_MINOR = "810000201007150012"
"""A Hong Kong resident's residence permit, born 2010-07-15: a minor on every drawn date."""
CARD_HOLDER = "911840201203010024"
"""A foreigner's permanent residence card (2023 format, United States), born 2012-03-01."""
TURNING_ADULT = "110108200402290054"
"""Born 2004-02-29: a minor until 2022-02-28, an adult from 2022-03-01, inside the drawn dates."""
START = date(2020, 1, 1)
DAYS = 6 * 365


def day_after(base: date, max_days: int = 800) -> st.SearchStrategy[date]:
    return st.integers(0, max_days).map(lambda n: base + timedelta(days=n))


def maybe(strategy: st.SearchStrategy[date]) -> st.SearchStrategy[date | None]:
    return st.one_of(st.none(), strategy)


@st.composite
def records(
    draw: st.DrawFn, policies: PolicySet, subject: str, kind: str, record_id: str
) -> Record:
    """One valid record of any item applicable to ``kind``, with random lifecycle dates."""
    codes = sorted(c for c, item in policies.items.items() if kind in item.subject_kinds)
    item = draw(st.sampled_from(codes))
    decided = draw(day_after(START, DAYS))
    disputed = draw(maybe(day_after(decided, 400)))
    dispute_decided = draw(maybe(day_after(disputed, 60))) if disputed else None
    outcome = draw(st.sampled_from(list(DisputeOutcome))) if dispute_decided else None
    notice = draw(st.sampled_from([None, *NoticeState]))
    notified = None if notice in UNSERVED else draw(maybe(day_after(decided, 30)))
    if notice is not None and notice not in UNSERVED and notified is None:
        notified = decided
    return Record(
        id=record_id,
        subject=subject,
        subject_kind=kind,
        item=item,
        decided_on=decided,
        authority="Test Authority",
        reference=f"REF-{record_id}",
        notified_on=notified,
        notice=notice,
        amount=draw(st.one_of(st.none(), st.decimals(0, 20000, places=2))),
        resolved_on=draw(maybe(day_after(decided, 900))),
        revoked_on=draw(maybe(day_after(decided, 900))),
        disputed_on=disputed,
        dispute_decided_on=dispute_decided,
        dispute_outcome=outcome,
    )


@st.composite
def record_lists(
    draw: st.DrawFn, policies: PolicySet, subject: str = PERSON, kind: str = "person"
) -> list[Record]:
    count = draw(st.integers(0, 8))
    return [draw(records(policies, subject, kind, f"r{i:02d}")) for i in range(count)]


def as_of_dates() -> st.SearchStrategy[date]:
    return day_after(START, DAYS + 900)


LINKED_ONLY = "110101198005150010"
"""A person with links and no record of its own (born 1980-05-15)."""
ROLES = (
    "legal_representative",
    "main_responsible_person",
    "directly_responsible_person",
    "actual_controller",
)


def rarely(strategy: st.SearchStrategy[date]) -> st.SearchStrategy[date | None]:
    """``None`` four times in five."""
    return st.integers(0, 4).flatmap(lambda n: strategy if n == 4 else st.none())


@st.composite
def links(
    draw: st.DrawFn, organisation: str, person: str, role: str, link_id: str, around: date
) -> Link:
    """One valid link with random validity, revocation and objection dates, starting mostly
    before ``around`` (the assessment date), sometimes after it."""
    valid_from = around + timedelta(days=draw(st.integers(-1500, 200)))
    valid_to = draw(maybe(day_after(valid_from + timedelta(days=1), 1500)))
    disputed = draw(rarely(day_after(valid_from, 900)))
    decided = draw(maybe(day_after(disputed, 60))) if disputed else None
    outcome = draw(st.sampled_from([DisputeOutcome.UPHELD, DisputeOutcome.REVOKED]))
    return Link(
        id=link_id,
        organisation=organisation,
        person=person,
        role=role,
        valid_from=valid_from,
        source=draw(st.sampled_from(list(LinkSource))),
        authority="Test Registry",
        reference=f"REG-{link_id}",
        valid_to=valid_to,
        revoked_on=draw(rarely(day_after(valid_from, 1500))),
        disputed_on=disputed,
        dispute_decided_on=decided,
        dispute_outcome=outcome if decided else None,
    )


@st.composite
def link_lists(
    draw: st.DrawFn,
    organisations: list[str],
    persons: list[str],
    around: date,
    max_size: int = 6,
) -> list[Link]:
    """Links between ``organisations`` and ``persons``, at most one per organisation, person
    and role (so that none overlaps another of the same three)."""
    triples = draw(
        st.lists(
            st.tuples(
                st.sampled_from(organisations), st.sampled_from(persons), st.sampled_from(ROLES)
            ),
            max_size=max_size,
            unique=True,
        )
    )
    return [draw(links(o, p, r, f"k{i:02d}", around)) for i, (o, p, r) in enumerate(triples)]
