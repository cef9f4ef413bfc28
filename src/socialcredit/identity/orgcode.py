"""National organisation codes (GB 11714-1997) and the one inside a credit code.

Before the Unified Social Credit Code every organisation had a 9-character organisation code:
8 characters (digits and upper-case letters) and a check character, often written with a
hyphen before it (``60003734-1``). Weights ``3, 7, 9, 10, 5, 8, 4, 2``; digits count their
value and letters ``A``-``Z`` count 10-35; the check character is ``11 - (sum mod 11)``, written
``X`` for 10 and ``0`` for 11.

Characters 9 to 17 of a Unified Social Credit Code are the organisation's code
(:func:`organisation_code_of`), so a record filed under the old code is about the organisation
whose credit code embeds it (docs/identity.md says where that resolution happens).
"""

from __future__ import annotations

from socialcredit.identity.kinds import (
    IDENTIFIER_LENGTH,
    IdentifierKind,
    check_character_refusal,
    compact,
    refusal,
)

ORGANISATION_CODE_LENGTH = 9
WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_BODY = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_EMBEDDED = slice(8, 17)


def _value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char) - ord("A") + 10


def organisation_code_check_character(first8: str) -> str:
    """The GB 11714 check character of 8 body characters (digits and upper-case letters)."""
    total = sum(_value(c) * w for c, w in zip(first8, WEIGHTS, strict=True))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def normalise_organisation_code(text: str) -> str:
    """The canonical 9-character form (no hyphen, upper case) of an organisation code; raise
    :class:`~socialcredit.errors.IdentifierError` with the reason it is not one."""
    kind = IdentifierKind.ORGANISATION_CODE
    value = compact(text).upper()
    if len(value) == ORGANISATION_CODE_LENGTH + 1 and value[8] == "-":
        value = value[:8] + value[9]
    if len(value) != ORGANISATION_CODE_LENGTH:
        raise refusal(
            text, kind, "bad-length", f"it has {len(value)} characters; expected 9 (or 8-1)"
        )
    if not (_BODY.issuperset(value[:8]) and value[8] in "0123456789X"):
        raise refusal(
            text,
            kind,
            "bad-characters",
            "8 digits or upper-case letters and a check character (a digit or X) are expected",
        )
    expected = organisation_code_check_character(value[:8])
    if (wrong := check_character_refusal(text, kind, value[8], expected)) is not None:
        raise wrong
    return value


def organisation_code_of(uscc: str) -> str | None:
    """The organisation code inside a canonical credit code (its characters 9 to 17), or
    ``None`` when they are not a valid organisation code (then the code embeds none)."""
    if len(uscc) != IDENTIFIER_LENGTH:
        return None
    embedded = uscc[_EMBEDDED]
    if not (_BODY.issuperset(embedded[:8]) and embedded[8] in "0123456789X"):
        return None
    return embedded if organisation_code_check_character(embedded[:8]) == embedded[8] else None
