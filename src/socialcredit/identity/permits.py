"""Identifiers of persons other than resident identity numbers, in the layout of GB 11643.

- **Residence permits for Hong Kong, Macao and Taiwan residents** (issued since 2018): 18
  characters in the layout of a resident identity number whose address code is ``810000``
  (Hong Kong), ``820000`` (Macao) or ``830000`` (Taiwan), with the same birth date and ISO 7064
  MOD 11-2 check character.
- **Foreigners' permanent residence identity cards**, 2023 format: 18 characters, ``9``, the
  two-digit province of the issuing place, the three-digit ISO 3166 numeric code of the
  nationality, the birth date ``YYYYMMDD``, a three-digit sequence number and the MOD 11-2
  check character.
- The **2004 format** of those cards: 15 characters, the ISO 3166 alpha-3 code of the
  nationality and 12 digits. Only this shape is checked (see docs/identity.md for what could not
  be verified); no birth date is read from it.
"""

from __future__ import annotations

from functools import cache

import pycountry

from socialcredit.identity.kinds import (
    IDENTIFIER_LENGTH,
    IdentifierKind,
    check_character_refusal,
    compact,
    refusal,
)
from socialcredit.identity.resident import (
    LEGACY_LENGTH,
    PROVINCES,
    birth_date_problem,
    resident_check_character,
)

PERMIT_REGIONS = {"810000": "Hong Kong", "820000": "Macao", "830000": "Taiwan"}
"""The address code of a residence permit, by the region of its holder."""
CARD_PROVINCES = PROVINCES | {"71", "81", "82"}
"""The issuing places of a permanent residence card (a province-level division)."""
CARD_2023_FIRST = "9"
_DIGITS = frozenset("0123456789")
_LAST = _DIGITS | {"X"}


def _layout(text: str, value: str, kind: IdentifierKind) -> None:
    """Refuse anything but 17 digits and a digit or ``X``, a bad birth date or check."""
    if len(value) != IDENTIFIER_LENGTH:
        raise refusal(text, kind, "bad-length", f"it has {len(value)} characters; expected 18")
    if not (_DIGITS.issuperset(value[:17]) and value[17] in _LAST):
        raise refusal(
            text, kind, "bad-characters", "only digits are allowed, and X as the last character"
        )


def _dated_and_checked(text: str, value: str, kind: IdentifierKind) -> str:
    problem = birth_date_problem(value)
    if problem is not None:
        raise refusal(text, kind, "bad-birth-date", problem)
    expected = resident_check_character(value[:17])
    if (wrong := check_character_refusal(text, kind, value[17], expected)) is not None:
        raise wrong
    return value


def normalise_residence_permit(text: str) -> str:
    """The canonical form of a residence permit number of a Hong Kong, Macao or Taiwan
    resident; raise :class:`IdentifierError` with the reason it is not one."""
    kind = IdentifierKind.RESIDENCE_PERMIT
    value = compact(text).upper()
    _layout(text, value, kind)
    if value[:6] not in PERMIT_REGIONS:
        raise refusal(
            text,
            kind,
            "unknown-region",
            "the address code must be 810000 (Hong Kong), 820000 (Macao) or 830000 (Taiwan)",
        )
    return _dated_and_checked(text, value, kind)


@cache
def alpha3_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-3 country code (pycountry's copy of the standard)."""
    return frozenset(country.alpha_3 for country in pycountry.countries)


@cache
def numeric_codes() -> frozenset[str]:
    """Every ISO 3166-1 numeric country code, three digits."""
    return frozenset(country.numeric for country in pycountry.countries)


def _country_numeric(code: str) -> bool:
    return code in numeric_codes()


def country_alpha3(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-3 country code (upper case)."""
    return code in alpha3_codes()


def _card_2023(text: str, value: str) -> str:
    kind = IdentifierKind.PERMANENT_RESIDENCE
    _layout(text, value, kind)
    if value[0] != CARD_2023_FIRST or value[1:3] not in CARD_PROVINCES:
        raise refusal(
            text,
            kind,
            "unknown-region",
            "an 18-character card starts with 9 and the two-digit province of the issuing place",
        )
    if not _country_numeric(value[3:6]):
        raise refusal(
            text,
            kind,
            "unknown-country",
            f"characters 4 to 6, {value[3:6]!r}, are not an ISO 3166 numeric country code",
        )
    return _dated_and_checked(text, value, kind)


def _card_2004(text: str, value: str) -> str:
    kind = IdentifierKind.PERMANENT_RESIDENCE
    if not (value[:3].isascii() and value[:3].isalpha() and _DIGITS.issuperset(value[3:])):
        raise refusal(
            text,
            kind,
            "bad-characters",
            "a 15-character card is a three-letter country code followed by 12 digits",
        )
    if not country_alpha3(value[:3]):
        raise refusal(
            text,
            kind,
            "unknown-country",
            f"{value[:3]!r} is not an ISO 3166 alpha-3 country code",
        )
    return value


def normalise_permanent_residence(text: str) -> str:
    """The canonical form of a foreigner's permanent residence identity card number (2023 or
    2004 format); raise :class:`IdentifierError` with the reason it is not one."""
    value = compact(text).upper()
    if len(value) == IDENTIFIER_LENGTH:
        return _card_2023(text, value)
    if len(value) == LEGACY_LENGTH:
        return _card_2004(text, value)
    raise refusal(
        text,
        IdentifierKind.PERMANENT_RESIDENCE,
        "bad-length",
        f"it has {len(value)} characters; expected 18 (2023 format) or 15 (2004 format)",
    )
