"""The compiled runtime form of the loaded policies: what the engine and executors read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from socialcredit.policy.models import Item, ListDef, Measure, Memorandum, ScoreModel, Service


@dataclass(frozen=True)
class PolicyInfo:
    """Which policy was loaded, from where, and the SHA-256 of its file."""

    id: str
    version: str
    title: str
    source: str
    sha256: str
    objection_review_days: int
    objection_review_in: str = "days"

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "version": self.version, "sha256": self.sha256}


@dataclass(frozen=True)
class BoundMeasure:
    """A measure together with the memorandum that agreed it."""

    memorandum: Memorandum
    measure: Measure


@dataclass(frozen=True)
class PolicySet:
    """Several policies in force at once, validated and cross-referenced."""

    policies: tuple[PolicyInfo, ...]
    items: Mapping[str, Item]
    item_policy: Mapping[str, str]
    models: Mapping[str, ScoreModel]
    lists: Mapping[str, ListDef]
    memoranda: Mapping[str, Memorandum]
    services: Mapping[str, Service]

    def review_days(self, item_code: str) -> int:
        """The objection review deadline of the policy that catalogues ``item_code``."""
        return self._review_days[item_code]

    def review_working(self, item_code: str) -> bool:
        """Whether that deadline is counted in working days (else calendar days)."""
        return self._review_working[item_code]

    def review_term(self, item_code: str) -> str:
        """That deadline in words: ``15 days`` or ``15 working days``."""
        unit = "working days" if self.review_working(item_code) else "days"
        return f"{self.review_days(item_code)} {unit}"

    @cached_property
    def _review_working(self) -> dict[str, bool]:
        working = {p.id: p.objection_review_in == "working_days" for p in self.policies}
        return {code: working[policy_id] for code, policy_id in self.item_policy.items()}

    @cached_property
    def _review_days(self) -> dict[str, int]:
        days = {p.id: p.objection_review_days for p in self.policies}
        return {code: days[policy_id] for code, policy_id in self.item_policy.items()}

    def bound_measures(self) -> tuple[BoundMeasure, ...]:
        return self._bound_measures

    @cached_property
    def _bound_measures(self) -> tuple[BoundMeasure, ...]:
        return tuple(
            BoundMeasure(memo, measure)
            for memo in self.memoranda.values()
            for measure in memo.measures
        )

    @cached_property
    def _measures_by_service(self) -> dict[str, tuple[BoundMeasure, ...]]:
        by_service: dict[str, list[BoundMeasure]] = {}
        for bound in self._bound_measures:
            for service in bound.measure.services:
                by_service.setdefault(service, []).append(bound)
        return {service: tuple(found) for service, found in sorted(by_service.items())}

    def measures_at(self, service: str) -> tuple[BoundMeasure, ...]:
        """The measures that name ``service``, in memorandum order."""
        return self._measures_by_service.get(service, ())

    def service_ids(self) -> tuple[str, ...]:
        """Every service named by a loaded measure, sorted."""
        return tuple(self._measures_by_service)
