"""Hypothesis strategies: valid records for one subject under a loaded policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from hypothesis import strategies as st

from socialcredit.engine import DisputeOutcome, NoticeState, Record
from socialcredit.engine.records import UNSERVED
from socialcredit.identity import organisation_code_of
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
FILED_UNDER_CODE = "91110000600037341L"
"""An organisation some of whose records are filed under its old organisation code."""
ORGANISATION_CODE = "600037341"
"""The organisation code (60003734-1) inside ``FILED_UNDER_CODE``, in canonical form."""
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


@st.composite
def filed_under_code(draw: st.DrawFn, records: list[Record]) -> list[Record]:
    """``records`` of one organisation, each after the first possibly filed under the
    organisation code its credit code embeds (read together, they resolve to it)."""
    code = organisation_code_of(records[0].subject) if records else None
    if code is None:
        return records
    moved = [draw(st.booleans()) for _ in records[1:]]
    return [records[0]] + [
        replace(r, subject=code) if m else r for r, m in zip(records[1:], moved, strict=True)
    ]


def as_of_dates() -> st.SearchStrategy[date]:
    return day_after(START, DAYS + 900)
