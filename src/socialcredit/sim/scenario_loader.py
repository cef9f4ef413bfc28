"""Load a scenario in two phases and refuse it with every problem at once.

Phase 1 reads the YAML with marks and validates its shape (unknown keys, rates outside [0, 1],
a horizon of zero). Phase 2 loads every policy set it names (each policy's own problems are
reported with their file and line) and checks each reference: hazard items, agencies,
reviewing authorities and services must exist in the policies in force, and changes must
fall within the horizon. Nothing is run unless the whole file is accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from socialcredit.errors import PolicyError, Problem, ProblemsError
from socialcredit.policy import PolicySet, load_policies
from socialcredit.policy.yamlsource import PathKey, SourceDocument, read_yaml
from socialcredit.sim.scenario import Scenario


class ScenarioError(ProblemsError):
    """A scenario was refused: its shape, a policy it names, or a reference."""

    code = "scenario-invalid"


@dataclass(frozen=True)
class LoadedScenario:
    """A checked scenario and the policy set in force from each month on (month 0 first)."""

    path: Path
    scenario: Scenario
    policy_sets: tuple[tuple[int, PolicySet], ...]

    def policies_at(self, month: int) -> PolicySet:
        current = self.policy_sets[0][1]
        for since, policies in self.policy_sets:
            if since <= month:
                current = policies
        return current


def _shape(doc: SourceDocument) -> tuple[Scenario | None, list[Problem]]:
    if doc.problems:
        return None, doc.problems
    if doc.data is None:
        return None, [Problem(doc.path, "schema", "the file is empty")]
    try:
        return Scenario.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            loc = [p for p in e["loc"] if isinstance(p, str | int)]
            where = ".".join(str(p) for p in loc)
            message = (
                f"unknown key {loc[-1]!r}: it is not part of the scenario format (a typo?)"
                if e["type"] == "extra_forbidden"
                else f"{where}: {e['msg']}"
            )
            problems.append(doc.locate(loc, "schema", message))
        return None, problems


def _load_set(
    doc: SourceDocument, base: Path, files: list[str], loc: PathKey
) -> tuple[PolicySet | None, list[Problem]]:
    paths = [base / f for f in files]
    missing = [(i, p) for i, p in enumerate(paths) if not p.exists()]
    if missing:
        return None, [
            doc.locate((*loc, i), "policy", f"policy file not found: {p}") for i, p in missing
        ]
    try:
        return load_policies(paths), []
    except PolicyError as exc:
        head = doc.locate(loc, "policy", f"the policies do not load: {exc.message}")
        return None, [head, *exc.problems]


def _references(doc: SourceDocument, s: Scenario, sets: list[PolicySet]) -> Iterator[Problem]:
    items = {code: item for p in sets for code, item in p.items.items()}
    agencies = {item.authority for item in items.values() if item.authority}
    services = {service for p in sets for service in p.service_ids()}
    seen: set[str] = set()
    where: PathKey
    for i, hazard in enumerate(s.conduct.hazards):
        where = ("conduct", "hazards", i, "item")
        if hazard.item not in items:
            yield doc.locate(where, "reference", f"unknown item {hazard.item!r}")
        if hazard.item in seen:
            yield doc.locate(where, "reference", f"item {hazard.item!r} has two hazards")
        seen.add(hazard.item)
    band = s.conduct.deterrence.score
    if band is not None and all(band.model not in p.models for p in sets):
        where = ("conduct", "deterrence", "score", "model")
        yield doc.locate(where, "reference", f"unknown score model {band.model!r}")
    yield from _named(doc, s, agencies, services)


def _named(
    doc: SourceDocument, s: Scenario, agencies: set[str], services: set[str]
) -> Iterator[Problem]:
    where: PathKey
    for i, errors in enumerate(s.data_errors):
        if errors.agency not in agencies:
            where = ("data_errors", i, "agency")
            yield doc.locate(where, "reference", f"no item is filed by agency {errors.agency!r}")
    for i, review in enumerate(s.due_process.reviewers):
        if review.authority not in agencies:
            where = ("due_process", "reviewers", i, "authority")
            yield doc.locate(where, "reference", f"no item is decided by {review.authority!r}")
    for i, use in enumerate(s.service_use):
        if use.service not in services:
            where = ("service_use", i, "service")
            yield doc.locate(where, "reference", f"unknown service {use.service!r}")
    for i, change in enumerate(s.changes):
        if change.month >= s.horizon_months:
            where = ("changes", i, "month")
            yield doc.locate(where, "range", "the change comes after the horizon")


def _policy_files(doc: SourceDocument) -> list[tuple[int, list[str], PathKey]]:
    """The policy sets named by the raw data (read even when the shape was refused)."""
    data = doc.data if isinstance(doc.data, dict) else {}
    found: list[tuple[int, list[str], PathKey]] = []
    if _strings(data.get("policies")):
        found.append((0, data["policies"], ("policies",)))
    changes = data.get("changes")
    for i, change in enumerate(changes if isinstance(changes, list) else []):
        month = change.get("month") if isinstance(change, dict) else None
        if isinstance(month, int) and _strings(change.get("policies")):
            found.append((month, change["policies"], ("changes", i, "policies")))
    return found


def _strings(value: object) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) for v in value)


def load_scenario(path: Path) -> LoadedScenario:
    """Read and check ``path``; raise :class:`ScenarioError` with every problem found."""
    doc = read_yaml(path)
    scenario, problems = _shape(doc)
    return _checked(doc, path, scenario, problems)


def with_scenario(loaded: LoadedScenario, scenario: Scenario) -> LoadedScenario:
    """``loaded`` with its scenario replaced (a sweep's value): the policies it names are
    loaded again (relative to the same file) and every reference checked again."""
    doc = SourceDocument(str(loaded.path), scenario.model_dump(mode="json"))
    return _checked(doc, loaded.path, scenario, [])


def _checked(
    doc: SourceDocument, path: Path, scenario: Scenario | None, problems: list[Problem]
) -> LoadedScenario:
    sets: list[tuple[int, PolicySet]] = []
    for month, files, loc in _policy_files(doc):
        loaded, found = _load_set(doc, path.parent, files, loc)
        problems += found
        if loaded is not None:
            sets.append((month, loaded))
    if scenario is not None:
        problems += _references(doc, scenario, [p for _m, p in sets])
    if problems or scenario is None:
        raise ScenarioError(f"scenario {path} was refused", problems)
    ordered = tuple(sorted(sets, key=lambda pair: pair[0]))
    return LoadedScenario(path, scenario, ordered)
