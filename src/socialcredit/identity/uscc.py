"""Unified Social Credit Codes (GB 32100-2015).

An 18-character code over the alphabet ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, Z, S or
V): the registration authority (1 character), the entity type (1), the administrative division
code (6 digits), the organisation code of GB 11714 (9 characters, with its own check character,
which is not checked here) and the check character of the whole code.

Some early codes that are legitimately in use fail the check. A code of the right shape whose
check character does not match is therefore accepted with a warning (to be reviewed by a
person), not refused; :func:`is_valid_uscc` is the strict test.
"""

from __future__ import annotations

from operator import mul

from socialcredit.errors import IdentifierError
from socialcredit.identity.kinds import IDENTIFIER_LENGTH, SubjectId, SubjectKind, compact, shown

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""The 31 characters a code may contain, in the order of their values 0 to 30."""
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
"""The weight of each of the first 17 characters: ``3^(i-1) mod 31`` for position ``i``."""

SCHEME = "unified-social-credit-code"

_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_ALLOWED = frozenset(ALPHABET) | frozenset(ALPHABET.lower())
_LEFT_OUT = frozenset("IOZSViozsv")
_DIVISION = slice(2, 8)


def uscc_check_character(first17: str) -> str:
    """Return the check character for the first 17 characters of a code.

    Weights ``3^(i-1) mod 31`` for positions ``i = 1..17``; the check character is the one
    whose value is ``(31 - sum mod 31) mod 31`` (the tests hold it equal to python-stdnum's).
    Lower case is accepted. Raise :class:`IdentifierError` unless ``first17`` is 17 characters
    of the alphabet.
    """
    if len(first17) != IDENTIFIER_LENGTH - 1:
        raise _refusal(first17, "bad-length", "the check character needs exactly 17 characters")
    _check_alphabet(first17, first17)
    total = sum(map(mul, map(_VALUES.__getitem__, first17.upper()), USCC_WEIGHTS))
    return ALPHABET[-total % 31]


def normalise_uscc(text: str) -> SubjectId:
    """Return the code in canonical form (no whitespace, upper case) as an organisation.

    Raise :class:`IdentifierError` on a wrong length, a character outside the alphabet or an
    administrative division code that is not 6 digits. A check character that does not match
    is not refused: it is reported in ``warnings`` so that the code is reviewed.
    """
    value = compact(text)
    if len(value) != IDENTIFIER_LENGTH:
        raise _refusal(text, "bad-length", f"it has {len(value)} characters; expected 18")
    _check_alphabet(text, value)
    value = value.upper()
    _check_division(text, value)
    return SubjectId(SubjectKind.ORGANISATION, value, _check_warnings(value))


def is_valid_uscc(text: str) -> bool:
    """Tell whether ``text`` is a code of the right shape whose check character matches."""
    try:
        subject = normalise_uscc(text)
    except IdentifierError:
        return False
    return not subject.warnings


def _refusal(text: str, reason: str, explanation: str) -> IdentifierError:
    """Build the error refusing ``text`` as a unified social credit code."""
    identifier = shown(text)
    return IdentifierError(
        f"{identifier!r} is not a valid unified social credit code: {explanation}",
        {"identifier": identifier, "reason": reason, "scheme": SCHEME},
    )


def _check_alphabet(text: str, value: str) -> None:
    """Refuse any character outside the alphabet, naming the first one."""
    if _ALLOWED.issuperset(value):
        return
    bad = next(char for char in value if char not in _ALLOWED)
    if bad in _LEFT_OUT:
        explanation = f"it contains {bad!r}; the letters I, O, S, V and Z are never used"
    else:
        explanation = f"it contains {bad!r}; only digits and upper-case letters are used"
    raise _refusal(text, "bad-characters", explanation)


def _check_division(text: str, value: str) -> None:
    """Refuse an administrative division code (characters 3 to 8) that is not all digits."""
    division = value[_DIVISION]
    if not (division.isascii() and division.isdigit()):
        raise _refusal(
            text,
            "bad-characters",
            "characters 3 to 8 (the administrative division code) must be digits",
        )


def _check_warnings(value: str) -> tuple[str, ...]:
    """Return the warning for a check character that does not match, or nothing."""
    expected = uscc_check_character(value[:-1])
    if value[-1] == expected:
        return ()
    return (
        f"check character does not match (expected {expected!r}); legacy code flagged for review",
    )
