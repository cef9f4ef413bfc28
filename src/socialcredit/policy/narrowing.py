"""Policies rest on the base and only narrow it (design.md principles 1, 3, 5, 6 and 7).

Every service names its base service, every item its base entry, every measure its base
measure; anything the base does not allow (a wider term, disclosure, subject kind, authority,
service, target, list colour or trigger) is refused with what would be acceptable.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from socialcredit.policy.base_models import (
    EFFECT_STRENGTH,
    SEVERITIES,
    BaseCatalogue,
    BaseEntry,
    BaseMeasure,
    tier_at_most,
)
from socialcredit.policy.findings import Finding, breach
from socialcredit.policy.index import PolicyIndex
from socialcredit.policy.models import Item, ListDef, Measure, Memorandum, Service
from socialcredit.policy.yamlsource import PathKey


def _choices(values: Iterable[object]) -> str:
    return ", ".join(sorted(str(v) for v in values))


def check_service(service: Service, loc: PathKey, base: BaseCatalogue) -> Iterator[Finding]:
    what = f"service {service.id!r}"
    found = base.services.get(service.base or "")
    if found is None:
        said = "names no base service" if service.base is None else f"names {service.base!r}"
        yield breach(
            (*loc, "base"),
            "P1",
            f"{what} {said}; name one of the base services: "
            f"{_choices(base.services)} (socialcredit catalogue)",
        )
        return
    if service.domain != found.sector:
        yield breach(
            (*loc, "domain"),
            "P5",
            f"{what} declares domain {service.domain!r}, but its base service {found.id!r} is in "
            f"sector {found.sector!r}; a service's domain is its base service's sector",
        )


def item_entry(item: Item, base: BaseCatalogue) -> BaseEntry | None:
    return base.entries.get(item.base or "")


def check_item(item: Item, loc: PathKey, base: BaseCatalogue) -> Iterator[Finding]:
    what = f"item {item.code!r}"
    entry = item_entry(item, base)
    if entry is None:
        said = "names no base entry" if item.base is None else f"names unknown base {item.base!r}"
        fitting = [e.code for e in base.entries.values() if e.category == item.category]
        yield breach(
            (*loc, "base"),
            "P1",
            f"{what} {said}; an item rests on a base catalogue entry "
            f"(for category {item.category!r}: {_choices(fitting) or 'none'})",
        )
        return
    yield from _same_matter(item, entry, loc, what)
    yield from _narrower_terms(item, entry, loc, what)
    yield from _authority(item, entry, loc, what, base)


def _same_matter(item: Item, entry: BaseEntry, loc: PathKey, what: str) -> Iterator[Finding]:
    if item.category != entry.category:
        yield breach(
            (*loc, "category"),
            "P2",
            f"{what} has category {item.category!r}, but its base entry {entry.code!r} is "
            f"{entry.category!r}",
        )
    if item.polarity != entry.polarity:
        yield breach(
            (*loc, "polarity"),
            "P1",
            f"{what} is {item.polarity}; {entry.code!r} is {entry.polarity}",
        )
    wider = sorted(set(item.subject_kinds) - set(entry.subject_kinds))
    if wider:
        yield breach(
            (*loc, "subject_kinds"),
            "P1",
            f"{what} applies to {wider}, which base entry {entry.code!r} does not cover; "
            f"acceptable: a subset of {entry.subject_kinds}",
        )


def _narrower_terms(item: Item, entry: BaseEntry, loc: PathKey, what: str) -> Iterator[Finding]:
    if SEVERITIES.index(item.severity) > SEVERITIES.index(entry.max_severity):
        yield breach(
            (*loc, "severity"),
            "P6",
            f"{what} is {item.severity}; base entry {entry.code!r} is at most {entry.max_severity}",
        )
    if not item.counts_for.at_most(entry.max_counts_for):
        yield breach(
            (*loc, "counts_for"),
            "P6",
            f"{what} counts for {item.counts_for}; base entry {entry.code!r} allows at most "
            f"{entry.max_counts_for}",
        )
    widest = entry.max_disclosure
    if not tier_at_most(item.disclosure.tier, widest.tier):
        yield breach(
            (*loc, "disclosure", "tier"),
            "P6",
            f"{what} is disclosed to {item.disclosure.tier!r}; base entry {entry.code!r} allows "
            f"at most {widest.tier!r}",
        )
    if not item.disclosure.period.at_most(widest.period):
        yield breach(
            (*loc, "disclosure", "period"),
            "P6",
            f"{what} is disclosed for {item.disclosure.period}; base entry {entry.code!r} "
            f"allows at most {widest.period}",
        )


def _authority(
    item: Item, entry: BaseEntry, loc: PathKey, what: str, base: BaseCatalogue
) -> Iterator[Finding]:
    kind = item.authority_kind
    if kind is not None and kind in entry.authority_kinds:
        return
    said = "names no authority_kind" if kind is None else f"names authority kind {kind!r}"
    if kind is not None and kind not in base.authority_kinds:
        said += " (not a kind of authority: no anonymous sources, informants or committees)"
    yield breach(
        (*loc, "authority_kind"),
        "P3",
        f"{what} {said}; base entry {entry.code!r} is established only by: "
        f"{_choices(entry.authority_kinds)}",
    )


def check_list_entries(lst: ListDef, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    """Each entering item's base entry admits this colour of list."""
    for i, entry in enumerate(lst.entry.items):
        item = index.items.get(entry.item)
        found = item_entry(item.obj, index.base) if item else None
        if found is not None and lst.kind not in found.lists:
            yield breach(
                (*loc, "entry", "items", i, "item"),
                "P5",
                f"{entry.item!r} rests on {found.code!r}, which may enter only "
                f"{_choices(found.lists) or 'no'} lists; {lst.id!r} is a {lst.kind} list",
            )


def check_measure(
    memo: Memorandum, measure: Measure, loc: PathKey, index: PolicyIndex
) -> Iterator[Finding]:
    base = index.base
    found = base.measures.get(measure.base or "")
    what = f"measure {measure.id!r}"
    yield from _essential(measure, loc, index)
    if found is None:
        said = "names no base measure" if measure.base is None else f"names {measure.base!r}"
        fitting = [m.code for m in base.measures.values() if m.effect == measure.effect]
        yield breach(
            (*loc, "base"),
            "P5",
            f"{what} {said}; a measure rests on the base list of measures "
            f"(for {measure.effect}: {_choices(fitting)})",
        )
        return
    yield from _effect(measure, found, loc, what)
    yield from _services(measure, found, loc, index)
    yield from _targets(measure, found, loc, base)
    yield from _nexus(memo, measure, found, loc, index)


def _essential(measure: Measure, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    base = index.base
    for j, service_id in enumerate(measure.services):
        service = index.services.get(service_id)
        found = base.services.get((service.obj.base or "") if service else "")
        if found is None:
            continue
        fare = found.sector == "public_transport" and measure.discount_percent is not None
        if base.essential(found.id) and not (measure.effect == "benefit" and fare):
            yield breach(
                (*loc, "services", j),
                "P5",
                f"{measure.effect} measure {measure.id!r} touches {service_id!r}, an essential "
                f"service ({found.sector}); no measure denies, restricts or prioritises it "
                "(basic public transport admits only a fare discount)",
            )
        elif measure.effect == "benefit" and found.scarce:
            yield breach(
                (*loc, "services", j),
                "P5",
                f"benefit {measure.id!r} at {service_id!r} would take a scarce place from others",
            )


def _effect(measure: Measure, found: BaseMeasure, loc: PathKey, what: str) -> Iterator[Finding]:
    benefit = "benefit" in (measure.effect, found.effect)
    stronger = EFFECT_STRENGTH[measure.effect] > EFFECT_STRENGTH[found.effect]
    if (benefit and measure.effect != found.effect) or stronger:
        yield breach(
            (*loc, "effect"),
            "P5",
            f"{what} has effect {measure.effect!r}; base measure {found.code!r} is a "
            f"{found.effect!r} (a policy may apply a deny as a restrict, nothing else)",
        )
    if found.form == "fare_discount":
        cap = found.max_discount_percent or 0
        if measure.discount_percent is None or not 1 <= measure.discount_percent <= cap:
            yield breach(
                (*loc, "discount_percent"),
                "P5",
                f"{what} is a fare discount: state discount_percent, from 1 to {cap}",
            )
    elif measure.discount_percent is not None:
        yield breach((*loc, "discount_percent"), "P5", f"{found.code!r} is not a fare discount")


def _services(
    measure: Measure, found: BaseMeasure, loc: PathKey, index: PolicyIndex
) -> Iterator[Finding]:
    for j, service_id in enumerate(measure.services):
        service = index.services.get(service_id)
        if service is None or service.obj.base not in index.base.services:
            continue  # reported as an unknown service or a service without a base
        if service.obj.base not in found.services:
            yield breach(
                (*loc, "services", j),
                "P5",
                f"{service_id!r} rests on {service.obj.base!r}, which base measure "
                f"{found.code!r} does not cover; acceptable: {_choices(found.services)}",
            )


def _targets(
    measure: Measure, found: BaseMeasure, loc: PathKey, base: BaseCatalogue
) -> Iterator[Finding]:
    for j, target in enumerate(measure.targets):
        here = (*loc, "targets", j)
        if target == "subject":
            continue
        if target not in base.roles:
            yield breach(
                here,
                "P7",
                f"measure {measure.id!r} targets {target!r}; measures apply to the listed subject "
                "and, for organisations, to persons linked in a role its base measure names "
                f"({_choices(base.roles)}), never to family members, households or associates",
            )
        elif target not in found.targets:
            named = [t for t in found.targets if t != "subject"]
            yield breach(
                here,
                "P7",
                f"base measure {found.code!r} does not name the role {target!r}; its instrument "
                f"names: {_choices(named) or 'no role'}",
            )
        elif measure.subject_kinds != ["organisation"]:
            yield breach(
                here,
                "P7",
                f"measure {measure.id!r} extends to {target!r}, which exists only for an "
                "organisation: set subject_kinds: [organisation]",
            )


def _nexus(
    memo: Memorandum, measure: Measure, found: BaseMeasure, loc: PathKey, index: PolicyIndex
) -> Iterator[Finding]:
    if memo.score is not None:
        if not found.on_score:
            yield breach(
                (*loc, "base"),
                "P5",
                f"base measure {found.code!r} is not granted on a score; tie it to a list",
            )
        return
    lst = index.lists.get(memo.list_id or "")
    for entry in lst.obj.entry.items if lst else []:
        item = index.items.get(entry.item)
        base_entry = item_entry(item.obj, index.base) if item else None
        if base_entry is not None and base_entry.code not in found.triggers:
            yield breach(
                (*loc, "base"),
                "P5",
                f"no nexus: list {lst.obj.id!r} is entered through {entry.item!r} "  # type: ignore[union-attr]
                f"({base_entry.code}), which base measure {found.code!r} is not triggered by; "
                f"its triggers: {_choices(found.triggers)}",
            )
