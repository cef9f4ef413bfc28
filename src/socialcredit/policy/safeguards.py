"""The structural safeguards: design.md principles 1 and 3-9 on one object at a time.

Each function takes the object, its path in the file and (where needed) the index of the whole
policy set, and yields findings. What the base allows is checked in ``narrowing``; the text
screening in ``textcheck``. No flag turns any of them off.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialcredit.policy.durations import Duration
from socialcredit.policy.findings import Finding, breach
from socialcredit.policy.index import PolicyIndex
from socialcredit.policy.models import Item, ListDef, Measure, Memorandum, PolicyHeader
from socialcredit.policy.vocabulary import (
    ABSOLUTE_CAP,
    COUNTS_FOR_CAP,
    DISCLOSURE_RANGE,
    Polarity,
)
from socialcredit.policy.yamlsource import PathKey

REVIEW_DAYS = (1, 90)


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def check_header(header: PolicyHeader, loc: PathKey) -> Iterator[Finding]:
    """Principle 9: objections are decided within a deadline."""
    low, high = REVIEW_DAYS
    if not low <= header.objection_review_days <= high:
        yield breach(
            (*loc, "objection_review_days"),
            "P9",
            f"objection_review_days is {header.objection_review_days}; an objection is decided "
            f"within {low} to {high} days, or the record is suspended until it is",
        )


def check_item(item: Item, loc: PathKey) -> Iterator[Finding]:
    """Principles 1, 4 and 6 on one catalogue item."""
    what = f"item {item.code!r}"
    if _blank(item.legal_basis):
        yield breach(loc, "P1", f"{what} names no legal_basis: the law or regulation it rests on")
    if _blank(item.authority):
        yield breach(loc, "P1", f"{what} names no authority that establishes it")
    if item.polarity is Polarity.NEGATIVE and not item.notice_days:
        yield breach(
            (*loc, "notice_days"),
            "P4",
            f"negative {what} has no notice period: set notice_days to at least 1 so the "
            "subject is notified and may object before the record takes effect",
        )
    yield from _item_durations(item, loc, what)


def _item_durations(item: Item, loc: PathKey, what: str) -> Iterator[Finding]:
    cap = COUNTS_FOR_CAP[item.severity]
    if not item.counts_for.at_most(cap) or not item.counts_for.at_most(ABSOLUTE_CAP):
        yield breach(
            (*loc, "counts_for"),
            "P6",
            f"{what} counts for {item.counts_for}, longer than a {item.severity} record may "
            f"count (at most {cap}; nothing counts for more than {ABSOLUTE_CAP})",
        )
    low, high = DISCLOSURE_RANGE[item.severity]
    period = item.disclosure.period
    if not period.at_most(high) or (low is not None and not low.at_most(period)):
        bounds = f"at most {high}" if low is None else f"between {low} and {high}"
        yield breach(
            (*loc, "disclosure", "period"),
            "P6",
            f"{what} is disclosed for {period}; a {item.severity} record is disclosed {bounds}",
        )


def check_list(lst: ListDef, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    """Principles 5, 6 and 8 on one list."""
    what = f"list {lst.id!r}"
    if lst.kind != "red" and lst.entry.score is not None:
        yield breach(
            (*loc, "entry", "score"),
            "P5",
            f"{what} is a {lst.kind} list whose entry rule is a score; a score never restricts, "
            f"and a {lst.kind} list is entered only through specific catalogue items",
        )
    yield from _way_out(lst, loc, index)
    if lst.max_duration is None:
        yield breach(loc, "P8", f"{what} has no max_duration: every listing must end")
    elif not lst.max_duration.at_most(ABSOLUTE_CAP):
        yield breach(
            (*loc, "max_duration"),
            "P6",
            f"{what} may last {lst.max_duration}; no listing lasts more than {ABSOLUTE_CAP}",
        )
    yield from _entry_terms(lst, loc, index)


def _way_out(lst: ListDef, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    what = f"list {lst.id!r}"
    kinds = index.base.exit_kinds
    if not lst.exit:
        yield breach(loc, "P8", f"{what} has no exit conditions: say how a subject leaves it")
    for i, condition in enumerate(lst.exit):
        if condition.when not in kinds:
            yield breach(
                (*loc, "exit", i, "when"),
                "P8",
                f"{what} has exit condition {condition.when!r}; exits come from a closed set "
                f"with no renewal: {', '.join(kinds)}",
            )
    if lst.repair is None:
        yield breach(loc, "P8", f"{what} has no repair procedure (repair: procedure, deadline)")


def _entry_terms(lst: ListDef, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    limit = lst.max_duration or ABSOLUTE_CAP
    wanted = Polarity.POSITIVE if lst.kind == "red" else Polarity.NEGATIVE
    for i, entry in enumerate(lst.entry.items):
        here = (*loc, "entry", "items", i)
        item = index.items.get(entry.item)
        if isinstance(entry.term, Duration):
            if not entry.term.at_most(limit):
                yield breach(
                    (*here, "term"),
                    "P6",
                    f"entry term {entry.term} for {entry.item!r} is longer than the list's "
                    f"maximum duration {limit}",
                )
            elif item is not None and not entry.term.at_most(item.obj.counts_for):
                yield breach(
                    (*here, "term"),
                    "P6",
                    f"entry term {entry.term} for {entry.item!r} outlives the record, which "
                    f"counts for {item.obj.counts_for}; a listing never outlives its records",
                )
        if lst.public and item is not None and item.obj.disclosure.tier != "public":
            yield breach(
                (*here, "item"),
                "P6",
                f"public list {lst.id!r} discloses its members, but {entry.item!r} is disclosed "
                f"only to {item.obj.disclosure.tier!r}: make the list not public",
            )
        if item is not None and item.obj.polarity is not wanted:
            yield breach(
                (*here, "item"),
                "P5",
                f"a {lst.kind} list is entered through {wanted} items; {entry.item!r} is "
                f"{item.obj.polarity}",
            )


def check_memorandum(memo: Memorandum, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    """Principle 5 on one memorandum and its measures."""
    for i, measure in enumerate(memo.measures):
        here = (*loc, "measures", i)
        yield from _measure_basis(measure, here)
        yield from _measure_trigger(memo, measure, here, index)


def _measure_basis(measure: Measure, loc: PathKey) -> Iterator[Finding]:
    what = f"measure {measure.id!r}"
    for field, meaning in (
        ("legal_basis", "the law or regulation that allows it"),
        ("agency", "the agency that implements it"),
        ("nexus", "why restricting or rewarding this service answers this obligation"),
    ):
        if _blank(getattr(measure, field)):
            yield breach(loc, "P5", f"{what} has no {field}: state {meaning}")


def _measure_trigger(
    memo: Memorandum, measure: Measure, loc: PathKey, index: PolicyIndex
) -> Iterator[Finding]:
    what = f"{measure.effect} measure {measure.id!r}"
    if memo.score is not None:
        if measure.effect != "benefit":
            yield breach(
                (*loc, "effect"),
                "P5",
                f"{what} is triggered by score {memo.score.model!r}; a score never denies or "
                "restricts anything, whatever its domain: a restriction needs a black or watch "
                "list entered through catalogue items",
            )
        return
    lst = index.lists.get(memo.list_id or "")
    if lst is None:
        return
    if measure.effect == "benefit" and lst.obj.kind != "red":
        yield breach(
            (*loc, "effect"),
            "P5",
            f"{what} is tied to {lst.obj.kind} list {lst.obj.id!r}; benefits go to members of "
            "red lists or to a score, never to those listed for a breach",
        )
    if measure.effect != "benefit" and (lst.obj.kind == "red" or lst.obj.entry.score is not None):
        yield breach(
            (*loc, "effect"),
            "P5",
            f"{what} is tied to list {lst.obj.id!r}, whose entry rule is a score or which is a "
            "red list; deny and restrict need a black or watch list entered through items",
        )
