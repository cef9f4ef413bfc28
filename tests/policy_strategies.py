"""Hypothesis strategies: policies built only from the base catalogue and base measures, narrowing
every base entry and measure they use, as YAML data (and the widenings the loader must refuse)."""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from socialcredit.policy.base import base_catalogue
from socialcredit.policy.base_models import SEVERITIES, TIERS, BaseEntry, BaseMeasure
from socialcredit.policy.durations import Duration
from socialcredit.policy.vocabulary import COUNTS_FOR_CAP, DISCLOSURE_RANGE, Severity

MONTHS = [f"{n}m" for n in range(1, 61)]


def _within(high: Duration, low: Duration | None = None) -> list[str]:
    d = [m for m in MONTHS if Duration.parse(m).at_most(high)]
    return [m for m in d if low is None or low.at_most(Duration.parse(m))]


def feasible_severities(entry: BaseEntry) -> list[Severity]:
    """Severities a policy item on ``entry`` can take: at most the entry's, and with a disclosure
    period the entry allows inside the tier's range."""
    top = SEVERITIES.index(entry.max_severity)
    return [s for s in SEVERITIES[: top + 1] if _periods(entry, s) and _counts(entry, s)]


def _periods(entry: BaseEntry, severity: Severity) -> list[str]:
    low, high = DISCLOSURE_RANGE[severity]
    cap = high if high.at_most(entry.max_disclosure.period) else entry.max_disclosure.period
    return _within(cap, low)


def _counts(entry: BaseEntry, severity: Severity) -> list[str]:
    cap = COUNTS_FOR_CAP[severity]
    limit = entry.max_counts_for if entry.max_counts_for.at_most(cap) else cap
    return _within(limit)


def _sub(draw: st.DrawFn, values: list[str]) -> list[str]:
    return draw(st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True))


@st.composite
def base_items(draw: st.DrawFn, index: int) -> tuple[dict[str, Any], BaseEntry]:
    base = base_catalogue()
    entry = draw(st.sampled_from(sorted(base.entries.values(), key=lambda e: e.code)))
    severity = draw(st.sampled_from(feasible_severities(entry)))
    kinds = _sub(draw, list(entry.subject_kinds))
    tiers = TIERS[: TIERS.index(entry.max_disclosure.tier) + 1]
    item: dict[str, Any] = {
        "code": f"GEN-{index}",
        "base": entry.code,
        "title": f"Generated item {index}",
        "area": "commercial",
        "subject_kinds": [k for k in ("person", "organisation") if k in kinds],
        "category": entry.category,
        "polarity": str(entry.polarity),
        "severity": str(severity),
        "counts_for": draw(st.sampled_from(_counts(entry, severity))),
        "disclosure": {
            "tier": draw(st.sampled_from(tiers)),
            "period": draw(st.sampled_from(_periods(entry, severity))),
        },
        "legal_basis": entry.instruments[0].cite(),
        "authority": f"Authority {index}",
        "authority_kind": draw(st.sampled_from(entry.authority_kinds)),
    }
    if str(entry.polarity) == "negative":
        item["notice_days"] = draw(st.integers(1, 30))
    return item, entry


def _triggered_by(entry: BaseEntry) -> list[BaseMeasure]:
    return [m for m in base_catalogue().measures.values() if entry.code in m.triggers]


@st.composite
def _measure(
    draw: st.DrawFn, item: dict[str, Any], found: BaseMeasure, index: int
) -> dict[str, Any]:
    base = base_catalogue()
    services = _sub(draw, found.services)
    effect = found.effect
    if effect == "deny":
        effect = draw(st.sampled_from(["deny", "restrict"]))
    kinds = item["subject_kinds"]
    roles = [t for t in found.targets if t != "subject"]
    targets = ["subject"]
    if kinds == ["organisation"] and roles and draw(st.booleans()):
        targets = _sub(draw, roles)
    measure: dict[str, Any] = {
        "id": f"gen-measure-{index}",
        "base": found.code,
        "services": [f"svc-{s}" for s in services],
        "effect": effect,
        "legal_basis": found.instruments[0].cite(),
        "agency": "Implementing agency",
        "nexus": "Generated nexus.",
        "subject_kinds": kinds,
        "targets": targets,
    }
    if found.form == "fare_discount":
        measure["discount_percent"] = draw(st.integers(1, found.max_discount_percent or 1))
    assert all(s in base.services for s in services)
    return measure


@st.composite
def base_policies(draw: st.DrawFn) -> dict[str, Any]:
    """A policy whose every item, list and measure narrows the base."""
    items, lists, memoranda = [], [], []
    used_services: set[str] = set()
    for index in range(draw(st.integers(1, 4))):
        item, entry = draw(base_items(index))
        items.append(item)
        measures = _triggered_by(entry)
        if not entry.lists or not measures or not draw(st.booleans()):
            continue
        kind = draw(st.sampled_from(entry.lists))
        counts = item["counts_for"]
        lists.append(
            {
                "id": f"gen-list-{index}",
                "kind": kind,
                "title": f"Generated list {index}",
                "legal_basis": entry.instruments[0].cite(),
                "authority": item["authority"],
                "entry": {"items": [{"item": item["code"], "term": counts}]},
                "max_duration": counts,
                "exit": [{"when": "term_elapsed", "text": "The term has elapsed"}],
                "repair": {"procedure": "Apply to the authority.", "decision_days": 10},
            }
        )
        found = draw(st.sampled_from(measures))
        roles = [t for t in found.targets if t != "subject"]
        if roles and "organisation" in entry.subject_kinds and draw(st.booleans()):
            item["subject_kinds"] = ["organisation"]  # so that the measure may reach roles
        measure = draw(_measure(item, found, index))
        used_services |= {s.removeprefix("svc-") for s in measure["services"]}
        memoranda.append(
            {
                "id": f"gen-memo-{index}",
                "title": f"Generated memorandum {index}",
                "list": f"gen-list-{index}",
                "measures": [measure],
            }
        )
    base = base_catalogue()
    services = [
        {
            "id": f"svc-{s}",
            "base": s,
            "title": base.services[s].en,
            "domain": base.services[s].sector,
        }
        for s in sorted(used_services)
    ]
    return {
        "policy": {
            "id": "generated",
            "version": "1",
            "title": "Generated policy",
            "authority": "Generated authority",
            "objection_review_days": draw(st.integers(1, 90)),
        },
        "services": services,
        "items": items,
        "lists": lists,
        "memoranda": memoranda,
    }
