"""The rules the base catalogue and base measures themselves keep (second phase of the base).

A base entry cites ranked instruments, names known sectors and authority kinds, an admissible
category and terms within the severity caps; a base measure names known services, triggering
entries of the right polarity, roles only where organisations can be listed, and never an
essential service (a fare discount on basic public transport excepted) or a scarce one for a
benefit. Restrictions rest on a law, an administrative regulation, a judicial interpretation or
a central policy document.
"""

from __future__ import annotations

from collections.abc import Iterator

from socialcredit.policy.base_models import BaseCatalogue, BaseEntry, BaseMeasure, Instrument
from socialcredit.policy.findings import Finding, breach
from socialcredit.policy.vocabulary import (
    ABSOLUTE_CAP,
    ADMISSIBLE_CATEGORIES,
    COUNTS_FOR_CAP,
    DISCLOSURE_RANGE,
    Polarity,
)
from socialcredit.policy.yamlsource import PathKey

RESTRICTION_RANKS = (
    "law",
    "administrative_regulation",
    "judicial_interpretation",
    "central_policy",
)


def _unknown(loc: PathKey, what: str, value: str, known: dict[str, object]) -> Finding:
    return Finding(loc, "xref", f"unknown {what} {value!r} (known: {', '.join(sorted(known))})")


def _instruments(base: BaseCatalogue, found: list[Instrument], loc: PathKey) -> Iterator[Finding]:
    for i, instrument in enumerate(found):
        if instrument.rank not in base.ranks:
            here = (*loc, "instruments", i, "rank")
            yield _unknown(here, "instrument rank", instrument.rank, dict(base.ranks))


def entry_findings(base: BaseCatalogue, entry: BaseEntry, loc: PathKey) -> Iterator[Finding]:
    yield from _instruments(base, entry.instruments, loc)
    if entry.category not in ADMISSIBLE_CATEGORIES:
        yield breach((*loc, "category"), "P2", f"{entry.category!r} is not an admissible matter")
    if entry.sector not in base.sectors:
        yield _unknown((*loc, "sector"), "sector", entry.sector, dict(base.sectors))
    for i, kind in enumerate(entry.authority_kinds):
        if kind not in base.authority_kinds:
            here = (*loc, "authority_kinds", i)
            yield _unknown(here, "authority kind", kind, dict(base.authority_kinds))
    cap = COUNTS_FOR_CAP[entry.max_severity]
    if not entry.max_counts_for.at_most(cap) or not entry.max_counts_for.at_most(ABSOLUTE_CAP):
        yield breach(
            (*loc, "max_counts_for"), "P6", f"longer than a {entry.max_severity} may count"
        )
    if not entry.max_disclosure.period.at_most(DISCLOSURE_RANGE[entry.max_severity][1]):
        yield breach((*loc, "max_disclosure"), "P6", "longer than the severity allows")
    allowed = {"red"} if entry.polarity is Polarity.POSITIVE else {"black", "watch"}
    for i, kind in enumerate(entry.lists):
        if kind not in allowed:
            yield breach((*loc, "lists", i), "P5", f"a {entry.polarity} entry cannot enter {kind}")


def measure_findings(base: BaseCatalogue, measure: BaseMeasure, loc: PathKey) -> Iterator[Finding]:
    yield from _instruments(base, measure.instruments, loc)
    yield from _measure_services(base, measure, loc)
    yield from _measure_triggers(base, measure, loc)
    for i, kind in enumerate(measure.agency_kinds):
        if kind not in base.agency_kinds:
            yield _unknown((*loc, "agency_kinds", i), "agency kind", kind, dict(base.agency_kinds))
    if measure.effect != "benefit":
        if measure.on_score:
            yield breach((*loc, "on_score"), "P5", "a score never denies or restricts")
        if not any(i.rank in RESTRICTION_RANKS for i in measure.instruments):
            yield breach(
                (*loc, "instruments"), "P5", f"a restriction rests on one of {RESTRICTION_RANKS}"
            )
    if (measure.form is None) != (measure.max_discount_percent is None):
        yield Finding((*loc, "form"), "schema", "a fare discount names its max_discount_percent")


def _measure_services(base: BaseCatalogue, measure: BaseMeasure, loc: PathKey) -> Iterator[Finding]:
    for i, service_id in enumerate(measure.services):
        here = (*loc, "services", i)
        service = base.services.get(service_id)
        if service is None:
            yield _unknown(here, "base service", service_id, dict(base.services))
            continue
        sector = base.sectors.get(service.sector)
        essential = sector is not None and sector.essential
        fare = measure.form == "fare_discount" and service.sector == "public_transport"
        if measure.effect != "benefit" and essential:
            yield breach(here, "P5", f"{service_id!r} is an essential service: never restricted")
        elif measure.effect == "benefit" and (service.scarce or (essential and not fare)):
            yield breach(here, "P5", f"a benefit at {service_id!r} would ration it for others")


def _measure_triggers(base: BaseCatalogue, measure: BaseMeasure, loc: PathKey) -> Iterator[Finding]:
    wanted = Polarity.POSITIVE if measure.effect == "benefit" else Polarity.NEGATIVE
    organisations = False
    for i, code in enumerate(measure.triggers):
        entry = base.entries.get(code)
        if entry is None:
            yield _unknown((*loc, "triggers", i), "base entry", code, dict(base.entries))
            continue
        organisations = organisations or "organisation" in entry.subject_kinds
        if entry.polarity is not wanted:
            yield breach((*loc, "triggers", i), "P5", f"a {measure.effect} needs {wanted} entries")
    for i, target in enumerate(measure.targets):
        if target != "subject" and target not in base.roles:
            yield breach((*loc, "targets", i), "P7", f"{target!r} is not a role")
        elif target != "subject" and not organisations:
            yield breach((*loc, "targets", i), "P7", "roles apply only to organisations")
