"""Load the base catalogue and base measures shipped in ``data/base/`` (two phases).

Phase 1 validates each file's shape; phase 2 checks every cross-reference and the rules the
base itself must keep (design.md principles 1, 2, 5, 6 and 7), so that a reviewed change which
breaks them fails the test suite with the file and line. :func:`base_catalogue` loads it once.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from socialcredit.errors import PolicyError, Problem
from socialcredit.policy.base_models import (
    BaseCatalogue,
    CatalogueFile,
    MeasureFile,
    ServiceFile,
    Taxonomy,
)
from socialcredit.policy.base_rules import entry_findings, measure_findings
from socialcredit.policy.findings import Finding
from socialcredit.policy.yamlsource import SourceDocument, parse_yaml

BASE_FILES = ("taxonomy", "services", "catalogue", "measures")
M = TypeVar("M", bound=BaseModel)


def _document(name: str) -> SourceDocument:
    resource = resources.files("socialcredit.policy").joinpath(f"data/base/{name}.yaml")
    return parse_yaml(resource.read_bytes(), f"socialcredit/policy/data/base/{name}.yaml")


def _shape(doc: SourceDocument, model: type[M]) -> tuple[M | None, list[Problem]]:
    if doc.problems:
        return None, doc.problems
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        problems = [
            doc.locate([p for p in e["loc"] if not isinstance(p, dict)], "schema", e["msg"])
            for e in exc.errors()
        ]
        return None, problems


def _index(items: list[M], key: str, section: str) -> Iterator[Finding]:
    seen: set[str] = set()
    for i, item in enumerate(items):
        value = str(getattr(item, key))
        if value in seen:
            yield Finding((section, i, key), "duplicate", f"{value!r} is defined twice")
        seen.add(value)


def _build(docs: dict[str, SourceDocument]) -> tuple[BaseCatalogue | None, list[Problem]]:
    taxonomy, p1 = _shape(docs["taxonomy"], Taxonomy)
    services, p2 = _shape(docs["services"], ServiceFile)
    catalogue, p3 = _shape(docs["catalogue"], CatalogueFile)
    measures, p4 = _shape(docs["measures"], MeasureFile)
    problems = p1 + p2 + p3 + p4
    if taxonomy is None or services is None or catalogue is None or measures is None:
        return None, problems
    base = BaseCatalogue(
        edition=catalogue.edition,
        sectors={s.id: s for s in taxonomy.sectors},
        authority_kinds={t.id: t for t in taxonomy.authority_kinds},
        ranks={t.id: t for t in taxonomy.instrument_ranks},
        roles={t.id: t for t in taxonomy.roles},
        exit_kinds={t.id: t for t in taxonomy.exit_kinds},
        agency_kinds={t.id: t for t in taxonomy.agency_kinds},
        services={s.id: s for s in services.services},
        entries={e.code: e for e in catalogue.entries},
        measures={m.code: m for m in measures.measures},
    )
    found = _cross_check(base, services, catalogue, measures, docs)
    return base, problems + found


def _cross_check(
    base: BaseCatalogue,
    services: ServiceFile,
    catalogue: CatalogueFile,
    measures: MeasureFile,
    docs: dict[str, SourceDocument],
) -> list[Problem]:
    problems: list[Problem] = []
    for finding in _index(services.services, "id", "services"):
        problems.append(docs["services"].locate(finding.loc, finding.rule, finding.message))
    for i, service in enumerate(services.services):
        if service.sector not in base.sectors:
            loc = ("services", i, "sector")
            problems.append(docs["services"].locate(loc, "xref", f"unknown {service.sector!r}"))
    for i, role in enumerate(base.roles.values()):
        for j, way in enumerate(role.established_by):
            for k, kind in enumerate(way.authority_kinds):
                if kind not in base.authority_kinds:
                    where = ("roles", i, "established_by", j, "authority_kinds", k)
                    message = f"unknown authority kind {kind!r}"
                    problems.append(docs["taxonomy"].locate(where, "xref", message))
    found = list(_index(catalogue.entries, "code", "entries"))
    for i, entry in enumerate(catalogue.entries):
        found += entry_findings(base, entry, ("entries", i))
    problems += [docs["catalogue"].locate(f.loc, f.rule, f.message) for f in found]
    found = list(_index(measures.measures, "code", "measures"))
    for i, measure in enumerate(measures.measures):
        found += measure_findings(base, measure, ("measures", i))
    problems += [docs["measures"].locate(f.loc, f.rule, f.message) for f in found]
    return problems


def check_base(docs: dict[str, SourceDocument]) -> tuple[BaseCatalogue | None, list[Problem]]:
    """Both phases over the given documents (by name: taxonomy, services, catalogue,
    measures); tests pass altered copies."""
    return _build(docs)


def base_documents() -> dict[str, SourceDocument]:
    return {name: _document(name) for name in BASE_FILES}


@cache
def base_catalogue() -> BaseCatalogue:
    """The shipped base, loaded and checked once; a defect in it raises :class:`PolicyError`."""
    base, problems = _build(base_documents())
    if base is None or problems:
        raise PolicyError(f"the base catalogue is invalid: {len(problems)} problem(s)", problems)
    return base
