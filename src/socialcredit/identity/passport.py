"""Passports: the issuing country (ISO 3166-1 alpha-3) and the passport number.

Written ``CCC:NUMBER`` (``CHN:E12345678``): the document number of ICAO Doc 9303 has at most 9
characters, digits and upper-case letters. No check character is defined for the number by
itself (ICAO's check digits cover the machine-readable zone), so none is checked; a passport
carries no birth date here.
"""

from __future__ import annotations

from socialcredit.identity.kinds import IdentifierKind, compact, refusal
from socialcredit.identity.permits import country_alpha3

SEPARATOR = ":"
MAX_NUMBER = 9
_NUMBER = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def normalise_passport(text: str) -> str:
    """The canonical ``CCC:NUMBER`` form of a passport; raise
    :class:`~socialcredit.errors.IdentifierError` with the reason it is not one."""
    kind = IdentifierKind.PASSPORT
    value = compact(text).upper()
    country, separator, number = value.partition(SEPARATOR)
    if not separator:
        raise refusal(
            text, kind, "bad-characters", "write the country and the number as CCC:NUMBER"
        )
    if not country_alpha3(country):
        raise refusal(
            text, kind, "unknown-country", f"{country!r} is not an ISO 3166 alpha-3 country code"
        )
    if not 1 <= len(number) <= MAX_NUMBER:
        raise refusal(
            text,
            kind,
            "bad-length",
            f"the passport number has {len(number)} characters; expected 1 to {MAX_NUMBER}",
        )
    if not _NUMBER.issuperset(number):
        raise refusal(text, kind, "bad-characters", "a passport number has only digits and letters")
    return f"{country}{SEPARATOR}{number}"
