"""The closed vocabularies of the policy format (design.md principles 1, 2 and 6).

Areas, admissible categories, severity tiers and their caps. Kept as data so that the published
format, the JSON Schema, the base catalogue and the safeguards agree. The text screening's terms
are in ``data/screening_terms.yaml`` (``screening.py``).
"""

from __future__ import annotations

from enum import StrEnum

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
