"""The base catalogue and base measures as published data (principle 10), in English and Chinese.

One JSON-ready shape serves the command line (``socialcredit catalogue``) and the public HTTP API,
so both publish the same thing.
"""

from __future__ import annotations

from typing import Any

from socialcredit.policy.base_models import BaseCatalogue, BaseEntry, BaseMeasure, Instrument

Json = dict[str, Any]


def _instrument(instrument: Instrument) -> Json:
    return {"name": instrument.name, "article": instrument.article, "rank": instrument.rank}


def entry_json(entry: BaseEntry) -> Json:
    return {
        "code": entry.code,
        "title": {"en": entry.title.en, "zh": entry.title.zh},
        "editions": list(entry.editions),
        "instruments": [_instrument(i) for i in entry.instruments],
        "category": entry.category,
        "sector": entry.sector,
        "authority_kinds": list(entry.authority_kinds),
        "subject_kinds": list(entry.subject_kinds),
        "polarity": str(entry.polarity),
        "max_severity": str(entry.max_severity),
        "max_counts_for": str(entry.max_counts_for),
        "max_disclosure": {
            "tier": entry.max_disclosure.tier,
            "period": str(entry.max_disclosure.period),
        },
        "lists": list(entry.lists),
    }


def measure_json(measure: BaseMeasure) -> Json:
    found: Json = {
        "code": measure.code,
        "title": {"en": measure.title.en, "zh": measure.title.zh},
        "content": {"en": measure.content.en, "zh": measure.content.zh},
        "editions": list(measure.editions),
        "effect": measure.effect,
        "services": list(measure.services),
        "targets": list(measure.targets),
        "triggers": list(measure.triggers),
        "on_score": measure.on_score,
        "instruments": [_instrument(i) for i in measure.instruments],
        "agency_kinds": list(measure.agency_kinds),
    }
    if measure.form is not None:
        found["form"] = measure.form
        found["max_discount_percent"] = measure.max_discount_percent
    return found


def catalogue_json(base: BaseCatalogue) -> Json:
    """The base catalogue with its vocabularies: what a policy item may rest on."""
    return {
        "edition": base.edition,
        "sectors": [s.model_dump() for s in base.sectors.values()],
        "authority_kinds": [t.model_dump() for t in base.authority_kinds.values()],
        "instrument_ranks": [t.model_dump() for t in base.ranks.values()],
        "exit_kinds": [t.model_dump() for t in base.exit_kinds.values()],
        "entries": [entry_json(e) for e in base.entries.values()],
    }


def measures_json(base: BaseCatalogue) -> Json:
    """The base list of measures with the services and roles they name."""
    return {
        "edition": base.edition,
        "services": [s.model_dump() for s in base.services.values()],
        "roles": [t.model_dump() for t in base.roles.values()],
        "agency_kinds": [t.model_dump() for t in base.agency_kinds.values()],
        "measures": [measure_json(m) for m in base.measures.values()],
    }
