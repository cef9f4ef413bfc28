"""Resident identity numbers (GB 11643-1999).

An 18-character number: a 6-digit address code, the birth date as ``YYYYMMDD``, a 3-digit
sequence number (odd for men, even for women) and an ISO 7064 MOD 11-2 check character
(``0``-``9`` or ``X``). The 15-digit numbers issued before 1999 (address code, ``YYMMDD``,
sequence number) are converted to 18 characters by inserting ``19`` before the year and
appending the check character.

A number whose check character does not match is refused. The address code is checked for its
province (the first two digits name a province-level division of GB/T 2260: 11-15, 21-23,
31-37, 41-46, 50-54 or 61-65); whether it names a real county is not checked, because county
codes change over time and this layer holds no tables (python-stdnum does, so it refuses some
numbers this layer accepts, never the other way round).
"""

from __future__ import annotations

from datetime import date
from operator import mul

from socialcredit.errors import IdentifierError
from socialcredit.identity.kinds import (
    IDENTIFIER_LENGTH,
    IdentifierKind,
    check_character_refusal,
    compact,
    refusal,
)

LEGACY_LENGTH = 15
"""Length of the numbers issued before GB 11643-1999."""

MIN_BIRTH_YEAR = 1800
"""Earliest birth year accepted (the widely quoted example 440524188001010014 is from 1880)."""

MAX_BIRTH_YEAR = 2100
"""Latest birth year accepted. The layer is pure, so it never compares with today's date."""

SCHEME = str(IdentifierKind.RESIDENT)

_DIGITS = frozenset("0123456789")
_LAST_CHARACTERS = _DIGITS | frozenset("Xx")
_CANONICAL_LAST = _DIGITS | frozenset("X")
PROVINCES = frozenset(
    f"{n}"
    for first, last in ((11, 15), (21, 23), (31, 37), (41, 46), (50, 54), (61, 65))
    for n in range(first, last + 1)
)
"""The province-level divisions of GB/T 2260 that issue resident identity numbers."""
RESIDENT_CHECK_CHARACTERS = "10X98765432"
"""The check character for each value of the weighted sum modulo 11 (ISO 7064 MOD 11-2)."""
RESIDENT_WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))
"""The weight of each of the first 17 digits: ``2^(18-i) mod 11`` for position ``i``."""
_ZERO_OFFSET = ord("0") * sum(RESIDENT_WEIGHTS)
"""What the weighted sum of the digits' ASCII codes exceeds the sum of their values by."""
_LEGACY_CENTURY = "19"


def resident_check_character(first17: str) -> str:
    """Return the check character (``0``-``9`` or ``X``) for the first 17 digits of a number.

    ISO 7064 MOD 11-2: weights ``2^(17-i) mod 11`` for positions ``i = 0..16``; the check
    character is ``'10X98765432'[sum mod 11]``. Raise :class:`IdentifierError` unless
    ``first17`` is exactly 17 ASCII digits.
    """
    if len(first17) != IDENTIFIER_LENGTH - 1:
        raise _refusal(first17, "bad-length", "the check character needs exactly 17 digits")
    if not _all_digits(first17):
        raise _refusal(first17, "bad-characters", "the check character needs 17 digits")
    return _check_character_of(first17)


def _check_character_of(first17: str) -> str:
    """The check character of 17 ASCII digits (not checked here)."""
    # The weighted sum of the ASCII codes, less what the codes add over the digits' values.
    total = sum(map(mul, first17.encode("ascii"), RESIDENT_WEIGHTS)) - _ZERO_OFFSET
    return RESIDENT_CHECK_CHARACTERS[total % 11]


def normalise_resident_id(text: str) -> str:
    """Return the canonical 18-character form of a resident identity number.

    Whitespace is removed, a final ``x`` is upper-cased and a 15-digit number is converted to
    18 characters. Raise :class:`IdentifierError` if the number is not valid: wrong length,
    characters other than digits (and a final ``X``), an address code outside the provinces,
    an impossible birth date, or a check character that does not match.
    """
    value = compact(text)
    _check_length(text, value)
    _check_characters(text, value)
    value = _convert_legacy(value) if len(value) == LEGACY_LENGTH else value.upper()
    _check_address(text, value)
    _check_birth_date(text, value)
    _check_check_character(text, value)
    return value


def is_valid_resident_id(text: str) -> bool:
    """Tell whether :func:`normalise_resident_id` accepts ``text`` (15-digit numbers included)."""
    try:
        normalise_resident_id(text)
    except IdentifierError:
        return False
    return True


def is_canonical_resident_id(value: str) -> bool:
    """Tell whether ``value`` is already a valid number in canonical form (18 characters, no
    whitespace, an upper-case ``X``): then :func:`normalise_resident_id` returns it unchanged.
    The quick test for the usual case; anything else goes through the full checks."""
    return (
        len(value) == IDENTIFIER_LENGTH
        and value[:2] in PROVINCES
        and _all_digits(value[:17])
        and value[17] in _CANONICAL_LAST
        and birth_date_problem(value) is None
        and _check_character_of(value[:17]) == value[17]
    )


def looks_like_resident_id(text: str) -> bool:
    """Tell whether ``text`` is an 18-character resident number except perhaps its check character.

    That is: 17 digits followed by any character (a mistyped check character included), an
    address code in a province and a real birth date in positions 7 to 14.
    """
    value = compact(text).upper()
    return (
        len(value) == IDENTIFIER_LENGTH
        and _all_digits(value[:17])
        and value[:2] in PROVINCES
        and birth_date_problem(value) is None
    )


def _all_digits(text: str) -> bool:
    """Tell whether every character of ``text`` is an ASCII digit (true of ``""``)."""
    return not text or (text.isascii() and text.isdigit())


def _refusal(text: str, reason: str, explanation: str, **extra: str) -> IdentifierError:
    """Build the error refusing ``text`` as a resident identity number."""
    return refusal(text, IdentifierKind.RESIDENT, reason, explanation, **extra)


def _check_length(text: str, value: str) -> None:
    """Refuse a number that has neither 18 nor 15 characters."""
    if len(value) not in (IDENTIFIER_LENGTH, LEGACY_LENGTH):
        raise _refusal(
            text,
            "bad-length",
            f"it has {len(value)} characters; expected 18 (or 15 for a number issued before 1999)",
        )


def _first_bad_character(value: str) -> str | None:
    """Return the first character not allowed where it stands, or ``None`` if there is none."""
    last_allowed = _LAST_CHARACTERS if len(value) == IDENTIFIER_LENGTH else _DIGITS
    if _all_digits(value[:-1]) and value[-1:] in last_allowed:
        return None  # the usual case, without a loop
    last = len(value) - 1
    for index, char in enumerate(value):
        allowed = _LAST_CHARACTERS if index == last and len(value) == IDENTIFIER_LENGTH else _DIGITS
        if char not in allowed:
            return char
    return None


def _check_characters(text: str, value: str) -> None:
    """Refuse characters other than digits, and a final ``X`` in an 18-character number."""
    bad = _first_bad_character(value)
    if bad is not None:
        raise _refusal(
            text,
            "bad-characters",
            f"it contains {bad!r}; only digits are allowed, and X as the last of 18 characters",
        )


def _convert_legacy(value: str) -> str:
    """Convert a 15-digit number to 18 characters (``19`` before the year, check appended)."""
    first17 = value[:6] + _LEGACY_CENTURY + value[6:]
    return first17 + resident_check_character(first17)


def _check_address(text: str, value: str) -> None:
    """Refuse an address code whose first two digits name no province."""
    if value[:2] not in PROVINCES:
        raise _refusal(
            text,
            "unknown-region",
            f"the address code starts with {value[:2]!r}, which names no province-level "
            "division that issues resident identity numbers",
        )


def birth_date_problem(value: str) -> str | None:
    """Say what is wrong with the birth date in positions 7 to 14, or ``None`` if nothing."""
    digits = value[6:14]
    try:  # the usual case in one call (8 ASCII digits are ISO 8601's basic format)
        year = date.fromisoformat(digits).year
    except ValueError:
        year = -1
    if MIN_BIRTH_YEAR <= year <= MAX_BIRTH_YEAR:
        return None
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:])
    if not MIN_BIRTH_YEAR <= year <= MAX_BIRTH_YEAR:
        return f"the birth year {year} is not between {MIN_BIRTH_YEAR} and {MAX_BIRTH_YEAR}"
    try:
        date(year, month, day)
    except ValueError:
        return f"the birth date {digits} is not a real date"
    return None


def _check_birth_date(text: str, value: str) -> None:
    """Refuse a birth date that is not a real calendar date in the accepted years."""
    problem = birth_date_problem(value)
    if problem is not None:
        raise _refusal(text, "bad-birth-date", problem)


def _check_check_character(text: str, value: str) -> None:
    """Refuse a number whose last character is not the check character of the first 17."""
    expected = resident_check_character(value[:-1])
    wrong = check_character_refusal(text, IdentifierKind.RESIDENT, value[-1], expected)
    if wrong is not None:
        raise wrong
