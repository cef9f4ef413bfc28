"""The shape of the base catalogue and the base list of measures (``data/base/*.yaml``).

The base is versioned data shipped with the package: a closed taxonomy (sectors, authority kinds,
instrument ranks, roles, exit kinds, agency kinds), the base services, the base catalogue entries
and the base measures. Policies rest on it and may only narrow it (design.md principle 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from socialcredit.policy.durations import PolicyDuration
from socialcredit.policy.vocabulary import Polarity, Severity

ListKind = Literal["red", "black", "watch"]
Tier = Literal["subject_only", "restricted", "public"]
TIERS: tuple[Tier, ...] = ("subject_only", "restricted", "public")
"""Disclosure tiers from the narrowest to the widest."""
SEVERITIES = (Severity.MINOR, Severity.GENERAL, Severity.SERIOUS)
EFFECT_STRENGTH = {"benefit": 0, "restrict": 1, "deny": 2}
"""A policy may apply a base ``deny`` as a milder ``restrict``, never the other way."""


class Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(Frozen):
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Term(Frozen):
    """One entry of a closed vocabulary, with its English and Chinese names."""

    id: str = Field(pattern=r"^[a-z][a-z_]*$")
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)


class Sector(Term):
    essential: bool


class RoleSource(Frozen):
    """Who may establish a link in a role: from which source, by which kinds of authority."""

    source: Literal["registration", "court_finding"]
    authority_kinds: list[str] = Field(min_length=1)


class Role(Term):
    """A role in which a person is linked to an organisation (principle 7). ``one_holder``: the
    organisation has one holder of the role at a time (links may not overlap)."""

    one_holder: bool
    established_by: list[RoleSource] = Field(min_length=1)


class Taxonomy(Frozen):
    edition: str
    sectors: list[Sector]
    authority_kinds: list[Term]
    instrument_ranks: list[Term]
    roles: list[Role]
    exit_kinds: list[Term]
    agency_kinds: list[Term]


class BaseService(Frozen):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)
    sector: str
    scarce: bool


class ServiceFile(Frozen):
    edition: str
    services: list[BaseService]


class Instrument(Frozen):
    """A legal instrument cited by name and article, with its rank."""

    name: str = Field(min_length=1)
    article: str = Field(min_length=1)
    rank: str

    def cite(self) -> str:
        return f"{self.name}, {self.article}"


class MaxDisclosure(Frozen):
    tier: Tier
    period: PolicyDuration


class BaseEntry(Frozen):
    """A base catalogue entry: what may be recorded, by whom, and the widest terms."""

    code: str = Field(pattern=r"^BC-[A-Z0-9-]+$")
    title: Bilingual
    editions: list[str] = Field(min_length=1)
    instruments: list[Instrument] = Field(min_length=1)
    category: str
    sector: str
    authority_kinds: list[str] = Field(min_length=1)
    subject_kinds: list[Literal["person", "organisation"]] = Field(min_length=1)
    polarity: Polarity
    max_severity: Severity
    max_counts_for: PolicyDuration
    max_disclosure: MaxDisclosure
    lists: list[ListKind]


class CatalogueFile(Frozen):
    edition: str
    entries: list[BaseEntry]


class BaseMeasure(Frozen):
    """A base measure: content, effect, services, targets, triggering entries, instruments."""

    code: str = Field(pattern=r"^BM-[A-Z0-9-]+$")
    title: Bilingual
    content: Bilingual
    editions: list[str] = Field(min_length=1)
    effect: Literal["deny", "restrict", "benefit"]
    form: Literal["fare_discount"] | None = None
    max_discount_percent: int | None = Field(default=None, ge=1, le=100)
    services: list[str] = Field(min_length=1)
    targets: list[str] = Field(min_length=1)
    triggers: list[str] = Field(min_length=1)
    on_score: bool
    instruments: list[Instrument] = Field(min_length=1)
    agency_kinds: list[str] = Field(min_length=1)


class MeasureFile(Frozen):
    edition: str
    measures: list[BaseMeasure]


@dataclass(frozen=True)
class BaseCatalogue:
    """The base catalogue, the base measures and their vocabularies, indexed by id."""

    edition: str
    sectors: dict[str, Sector]
    authority_kinds: dict[str, Term]
    ranks: dict[str, Term]
    roles: dict[str, Role]
    exit_kinds: dict[str, Term]
    agency_kinds: dict[str, Term]
    services: dict[str, BaseService]
    entries: dict[str, BaseEntry]
    measures: dict[str, BaseMeasure]

    def essential(self, service_id: str) -> bool:
        service = self.services.get(service_id)
        sector = self.sectors.get(service.sector) if service else None
        return sector is not None and sector.essential


def tier_at_most(tier: str, widest: str) -> bool:
    """True when disclosure ``tier`` is no wider than ``widest``."""
    order: tuple[str, ...] = TIERS
    return order.index(tier) <= order.index(widest)
