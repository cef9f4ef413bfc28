"""The safeguards: checks of design.md principles 1-8 on one object at a time.

Each function takes the object, its path in the file and (where needed) the index of the whole
policy set, and yields findings. No flag turns any of them off.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialcredit.policy.durations import Duration
from socialcredit.policy.findings import Finding, breach
from socialcredit.policy.index import PolicyIndex
from socialcredit.policy.models import Item, ListDef, Measure, Memorandum
from socialcredit.policy.vocabulary import (
    ABSOLUTE_CAP,
    ADMISSIBLE_CATEGORIES,
    COUNTS_FOR_CAP,
    DISCLOSURE_RANGE,
    Polarity,
    find_protected_matter,
)
from socialcredit.policy.yamlsource import PathKey

ALLOWED_TARGETS = ("subject", "responsible_persons")


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def protected_text(loc: PathKey, what: str, title: str, description: str) -> Iterator[Finding]:
    """Principle 2, second net: a title or description naming a protected matter."""
    for field, text in (("title", title), ("description", description)):
        term = find_protected_matter(text)
        if term is not None:
            yield breach(
                (*loc, field),
                "P2",
                f"{what} {field} names a protected matter ({term.matter}: {term.term!r}); "
                "only matters an authority adjudicates or the subject volunteers may be recorded",
            )


def check_item(item: Item, loc: PathKey) -> Iterator[Finding]:
    """Principles 1, 2, 4 and 6 on one catalogue item."""
    what = f"item {item.code!r}"
    if _blank(item.legal_basis):
        yield breach(loc, "P1", f"{what} names no legal_basis: the law or regulation it rests on")
    if _blank(item.authority):
        yield breach(loc, "P1", f"{what} names no authority that establishes it")
    if item.category not in ADMISSIBLE_CATEGORIES:
        allowed = ", ".join(ADMISSIBLE_CATEGORIES)
        yield breach(
            (*loc, "category"),
            "P2",
            f"{what} has category {item.category!r}, which is not an admissible matter; "
            f"use one of: {allowed}",
        )
    yield from protected_text(loc, what, item.title, item.description)
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
    yield from protected_text(loc, what, lst.title, lst.description)
    if lst.kind != "red" and lst.entry.score is not None:
        yield breach(
            (*loc, "entry", "score"),
            "P5",
            f"{what} is a {lst.kind} list whose entry rule is a score; a {lst.kind} list is "
            "entered only through specific catalogue items",
        )
    if not lst.exit:
        yield breach(loc, "P8", f"{what} has no exit conditions: say how a subject leaves it")
    if lst.repair is None:
        yield breach(loc, "P8", f"{what} has no repair procedure (repair: procedure, deadline)")
    if lst.max_duration is None:
        yield breach(loc, "P8", f"{what} has no max_duration: every listing must end")
    elif not lst.max_duration.at_most(ABSOLUTE_CAP):
        yield breach(
            (*loc, "max_duration"),
            "P6",
            f"{what} may last {lst.max_duration}; no listing lasts more than {ABSOLUTE_CAP}",
        )
    yield from _entry_terms(lst, loc, index)


def _entry_terms(lst: ListDef, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    limit = lst.max_duration or ABSOLUTE_CAP
    wanted = Polarity.POSITIVE if lst.kind == "red" else Polarity.NEGATIVE
    for i, entry in enumerate(lst.entry.items):
        here = (*loc, "entry", "items", i)
        if isinstance(entry.term, Duration) and not entry.term.at_most(limit):
            yield breach(
                (*here, "term"),
                "P6",
                f"entry term {entry.term} for {entry.item!r} is longer than the list's maximum "
                f"duration {limit}",
            )
        item = index.items.get(entry.item)
        if item is not None and item.obj.polarity is not wanted:
            yield breach(
                (*here, "item"),
                "P5",
                f"a {lst.kind} list is entered through {wanted} items; {entry.item!r} is "
                f"{item.obj.polarity}",
            )


def check_memorandum(memo: Memorandum, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    """Principles 5 and 7 on one memorandum and its measures."""
    yield from protected_text(loc, f"memorandum {memo.id!r}", memo.title, memo.description)
    for i, measure in enumerate(memo.measures):
        here = (*loc, "measures", i)
        yield from protected_text(here, f"measure {measure.id!r}", measure.id, measure.description)
        yield from _measure_basis(measure, here)
        yield from _measure_trigger(memo, measure, here, index)
        yield from _measure_targets(memo, measure, here, index)


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
    if measure.effect == "benefit":
        return
    what = f"{measure.effect} measure {measure.id!r}"
    if memo.score is not None:
        model = index.models.get(memo.score.model)
        domain = model.obj.domain if model else None
        for service_id in measure.services:
            service = index.services.get(service_id)
            if service is None or service.obj.domain != domain:
                yield breach(
                    (*loc, "effect"),
                    "P5",
                    f"{what} at {service_id!r} is triggered by score {memo.score.model!r}; a "
                    f"score may deny or restrict only inside its own domain ({domain!r}), "
                    "otherwise a restriction needs a list whose entry rule names catalogue items",
                )
        return
    lst = index.lists.get(memo.list_id or "")
    if lst is None:
        return
    if lst.obj.kind == "red" or lst.obj.entry.score is not None:
        yield breach(
            (*loc, "effect"),
            "P5",
            f"{what} is tied to list {lst.obj.id!r}, whose entry rule is a score or which is a "
            "red list; deny and restrict need a black or watch list entered through items",
        )


def _measure_targets(
    memo: Memorandum, measure: Measure, loc: PathKey, index: PolicyIndex
) -> Iterator[Finding]:
    what = f"measure {measure.id!r}"
    for j, target in enumerate(measure.targets):
        if target not in ALLOWED_TARGETS:
            yield breach(
                (*loc, "targets", j),
                "P7",
                f"{what} targets {target!r}; measures apply only to the listed subject "
                "(and, for organisations, its named responsible_persons where the legal basis "
                "says so), never to family members, children or associates",
            )
    if "responsible_persons" in measure.targets:
        yield from _responsible_persons(memo, measure, loc, index)


def _responsible_persons(
    memo: Memorandum, measure: Measure, loc: PathKey, index: PolicyIndex
) -> Iterator[Finding]:
    lst = index.lists.get(memo.list_id or "")
    codes = [e.item for e in lst.obj.entry.items] if lst else []
    lacking = [c for c in codes if c in index.items and not index.items[c].obj.responsible_persons]
    if memo.score is not None or lacking or measure.subject_kinds != ["organisation"]:
        yield breach(
            (*loc, "targets"),
            "P7",
            f"measure {measure.id!r} extends to responsible_persons, but that is allowed only in a "
            "measure for organisations (subject_kinds: [organisation]) listed through items whose "
            "legal basis says so "
            f"(responsible_persons: true); not so for: {', '.join(lacking) or 'this trigger'}",
        )
