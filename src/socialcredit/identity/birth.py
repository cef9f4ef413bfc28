"""A natural person's birth date, read from the identifier that carries it.

Every 18-character identifier of a person follows the layout of GB 11643 (resident identity
numbers, residence permits for Hong Kong, Macao and Taiwan residents, and the 2023 permanent
residence identity cards of foreigners): the birth date is ``YYYYMMDD`` in positions 7 to 14.
Other identifiers of persons (passports, the old 15-character permanent residence cards, whose
two-digit year has no century) give no birth date.
"""

from __future__ import annotations

from datetime import date

from socialcredit.identity.kinds import IDENTIFIER_LENGTH, SubjectId, SubjectKind

BIRTH_DATE = slice(6, 14)
"""Where the birth date (``YYYYMMDD``) stands in an 18-character identifier of a person."""


def birth_date(subject: SubjectId) -> date | None:
    """The birth date carried by a person's canonical identifier, or ``None`` if it carries
    none (an organisation, a passport, an old permanent residence card)."""
    if subject.kind is not SubjectKind.PERSON or len(subject.value) != IDENTIFIER_LENGTH:
        return None
    digits = subject.value[BIRTH_DATE]
    try:
        return date.fromisoformat(f"{digits[:4]}-{digits[4:6]}-{digits[6:]}")
    except ValueError:
        return None
