"""The closed vocabularies of the policy format (design.md principles 1, 2 and 6).

Areas, admissible categories, severity tiers and their caps, and the protected-matter term net.
Kept as data so that the published format, the JSON Schema and the safeguards agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib import resources

import yaml

from socialcredit.policy.durations import Duration


class Area(StrEnum):
    GOVERNMENT_AFFAIRS = "government_affairs"
    COMMERCIAL = "commercial"
    SOCIETAL = "societal"
    JUDICIAL = "judicial"


class Polarity(StrEnum):
    POSITIVE = "positive"
    NEGATIVE = "negative"


class Severity(StrEnum):
    MINOR = "minor"
    GENERAL = "general"
    SERIOUS = "serious"


ADMISSIBLE_CATEGORIES: dict[str, str] = {
    "court_judgment": "a court judgment or its enforcement",
    "administrative_penalty": "an administrative penalty decision",
    "tax_arrears": "tax arrears established by the tax authority",
    "social_insurance_arrears": "social-insurance contribution arrears",
    "fee_arrears": "arrears of fees owed under law or contract (utilities, public fees)",
    "contract_default": "a contract default established by a court, arbitration or a creditor's "
    "notice",
    "regulatory_inspection": "the outcome of a regulatory inspection",
    "licence_status": "the grant, suspension or revocation of a licence",
    "honour_award": "an honour or award granted by an authority",
    "volunteer_service": "registered volunteer service the subject volunteers",
    "donation": "a donation the subject volunteers (money, goods, blood)",
}
"""The only matters an item may be about: adjudicated by an authority or volunteered."""

COUNTS_FOR_CAP: dict[Severity, Duration] = {
    Severity.MINOR: Duration(12, "m"),
    Severity.GENERAL: Duration(36, "m"),
    Severity.SERIOUS: Duration(60, "m"),
}
"""How long a record of each tier may count at most (nothing counts for more than 5 years)."""

DISCLOSURE_RANGE: dict[Severity, tuple[Duration | None, Duration]] = {
    Severity.MINOR: (None, Duration(3, "m")),
    Severity.GENERAL: (Duration(3, "m"), Duration(12, "m")),
    Severity.SERIOUS: (Duration(12, "m"), Duration(36, "m")),
}
"""Public disclosure period allowed per tier: (at least, at most)."""

ABSOLUTE_CAP = Duration(60, "m")
"""Nothing counts, and no listing lasts, longer than five years."""


@dataclass(frozen=True)
class ProtectedTerm:
    matter: str
    term: str
    pattern: re.Pattern[str]


def _english_pattern(term: str) -> re.Pattern[str]:
    stem = term.rstrip("*")
    body = re.escape(stem).replace(r"\ ", r"[\s-]+")
    tail = r"\w*" if term.endswith("*") else ""
    return re.compile(rf"(?<![\w]){body}{tail}(?![\w])", re.IGNORECASE)


@cache
def _term_groups() -> dict[str, dict[str, list[str]]]:
    text = resources.files("socialcredit.policy").joinpath("data/protected_terms.yaml")
    groups: dict[str, dict[str, list[str]]] = yaml.safe_load(text.read_text(encoding="utf-8"))
    return groups


@cache
def _innocent() -> tuple[re.Pattern[str], ...]:
    langs = _term_groups()["innocent"]
    english = [_english_pattern(t) for t in langs.get("en", [])]
    return (*english, *(re.compile(re.escape(t)) for t in langs.get("zh", [])))


@cache
def protected_terms() -> tuple[ProtectedTerm, ...]:
    """The term net, loaded once from ``data/protected_terms.yaml``."""
    terms: list[ProtectedTerm] = []
    for matter, langs in _term_groups().items():
        if matter == "innocent":
            continue
        terms += [ProtectedTerm(matter, t, _english_pattern(t)) for t in langs.get("en", [])]
        terms += [ProtectedTerm(matter, t, re.compile(re.escape(t))) for t in langs.get("zh", [])]
    return tuple(terms)


def find_protected_matter(text: str) -> ProtectedTerm | None:
    """The first protected matter that ``text`` names, if any (innocent phrases excepted)."""
    for phrase in _innocent():
        text = phrase.sub(" ", text)
    for term in protected_terms():
        if term.pattern.search(text):
            return term
    return None
