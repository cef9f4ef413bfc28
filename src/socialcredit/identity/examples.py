"""Valid synthetic identifiers for examples, demos, tests and benchmarks (never a real person).

``example_resident_id(n)`` and ``example_credit_code(n)`` are distinct for distinct ``n`` (the
numbering is spread over birth dates and sequence numbers, or over the organisation code), so
a generated population never merges two subjects by accident.
"""

from __future__ import annotations

from datetime import date, timedelta

from socialcredit.identity.resident import resident_check_character
from socialcredit.identity.uscc import uscc_check_character

FIRST_BIRTH = date(1950, 1, 1)
PER_DAY = 1000  # sequence numbers 000-999 on one birth date
MAX_EXAMPLES = 10_000_000


def _index(n: int) -> int:
    if not 0 <= n < MAX_EXAMPLES:
        raise ValueError(f"example number {n} is outside 0..{MAX_EXAMPLES - 1}")
    return n


def example_resident_id(n: int, region: str = "110105") -> str:
    """The ``n``-th synthetic resident identity number in a region (6-digit division code)."""
    born = FIRST_BIRTH + timedelta(days=_index(n) // PER_DAY)
    first17 = f"{region}{born:%Y%m%d}{n % PER_DAY:03d}"
    return first17 + resident_check_character(first17)


def example_credit_code(n: int, region: str = "110000") -> str:
    """The ``n``-th synthetic unified social credit code of an enterprise in a region."""
    first17 = f"91{region}MA{_index(n):07d}"
    return first17 + uscc_check_character(first17)
