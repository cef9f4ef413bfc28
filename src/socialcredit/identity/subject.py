"""Reading a subject identifier of either kind: a resident identity number or a credit code.

How an identifier is read (whitespace around and inside it is ignored):

1. 15 characters: a resident identity number issued before 1999 (converted to 18).
2. 18 characters that make a valid resident identity number: a person.
3. 18 characters that look like a resident identity number (17 digits and any last character,
   an address code starting with 1 to 8 and a real birth date in positions 7 to 14) but whose
   check character does not match: an organisation if they make a unified social credit code
   whose check character matches (with a warning, since a mistyped resident number reads like
   this one time in 31); otherwise refused as a resident identity number with a wrong check
   character. They are never accepted as a legacy credit code.
4. Any other 18 characters: a unified social credit code, accepted with a warning if only its
   check character does not match.
5. Any other length: refused.
"""

from __future__ import annotations

from socialcredit.errors import IdentifierError
from socialcredit.identity.kinds import IDENTIFIER_LENGTH, SubjectId, SubjectKind, compact, shown
from socialcredit.identity.resident import (
    LEGACY_LENGTH,
    is_canonical_resident_id,
    looks_like_resident_id,
    normalise_resident_id,
)
from socialcredit.identity.uscc import is_valid_uscc, normalise_uscc

LOOKALIKE_WARNING = (
    "also reads as a resident identity number with a wrong check character; "
    "taken as a unified social credit code, flagged for review"
)


def parse_subject(text: str) -> SubjectId:
    """Read ``text`` as a person's or an organisation's identifier, in canonical form.

    Raise :class:`IdentifierError` if it is neither (see the module documentation for the
    order in which the two schemes are tried).
    """
    value = compact(text)
    if is_canonical_resident_id(value):
        return SubjectId(SubjectKind.PERSON, value)
    if len(value) == LEGACY_LENGTH:
        return SubjectId(SubjectKind.PERSON, normalise_resident_id(text))
    if len(value) != IDENTIFIER_LENGTH:
        raise _length_refusal(text, value)
    return _parse_full_length(text, value)


def _parse_full_length(text: str, value: str) -> SubjectId:
    """Read an 18-character identifier: a person first, then an organisation.

    Every valid resident number looks like one, so anything that does not is read as a credit
    code straight away (no resident-number error is built and thrown away)."""
    if not looks_like_resident_id(value):
        return normalise_uscc(text)
    try:
        return SubjectId(SubjectKind.PERSON, normalise_resident_id(text))
    except IdentifierError:
        if not is_valid_uscc(value):
            raise
    organisation = normalise_uscc(text)
    return SubjectId(SubjectKind.ORGANISATION, organisation.value, (LOOKALIKE_WARNING,))


def _length_refusal(text: str, value: str) -> IdentifierError:
    """Build the error for an identifier that has neither 18 nor 15 characters."""
    identifier = shown(text)
    return IdentifierError(
        f"{identifier!r} is not a valid resident identity number or unified social credit "
        f"code: it has {len(value)} characters; expected 18 (or 15 for a resident identity "
        "number issued before 1999)",
        {"identifier": identifier, "reason": "bad-length", "scheme": "subject"},
    )
