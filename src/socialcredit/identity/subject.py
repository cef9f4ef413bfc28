"""Reading a subject identifier: of a declared kind, or of the one kind its format allows.

With a declared kind (a record's ``identifier_kind``) the text is read as that kind only; if it
is not one, the refusal names the reason, and ``wrong-kind`` when the text is plainly an
identifier of another kind.

Without one, the kind is inferred from the format alone, never by falling back to another kind
after a failed check (whitespace is ignored):

1. ``CCC:NUMBER``: a passport.
2. 9 characters (or 8, a hyphen and 1): a national organisation code.
3. 15 characters: 15 digits are a resident identity number issued before 1999 (converted to
   18); three letters and 12 digits a foreigner's permanent residence card (2004 format).
4. 18 characters that are all digits (the last may be ``X``), or 17 digits whose region and
   birth date read as a person's number followed by a mistyped last character: a person's
   number in the layout of GB 11643, by its first digits: ``810000``/``820000``/``830000`` a
   residence permit, ``9`` a permanent residence card (2023 format), anything else a resident
   identity number.
   It is refused with its reason (bad birth date, unknown region, bad check character) if it is
   not valid: a mistyped resident number is never read as an organisation. An all-digit
   credit code must therefore be declared (``unified-social-credit-code``).
5. Any other 18 characters (a letter somewhere): a unified social credit code, accepted with a
   warning if only its check character fails (the flagged legacy exceptions).
6. Any other length: refused.
"""

from __future__ import annotations

from collections.abc import Callable

from socialcredit.errors import IdentifierError
from socialcredit.identity.kinds import (
    IDENTIFIER_LENGTH,
    NAMES,
    IdentifierKind,
    SubjectId,
    SubjectKind,
    compact,
    refusal,
    shown,
)
from socialcredit.identity.orgcode import ORGANISATION_CODE_LENGTH, normalise_organisation_code
from socialcredit.identity.passport import SEPARATOR, normalise_passport
from socialcredit.identity.permits import (
    CARD_2023_FIRST,
    CARD_PROVINCES,
    PERMIT_REGIONS,
    normalise_permanent_residence,
    normalise_residence_permit,
)
from socialcredit.identity.resident import (
    LEGACY_LENGTH,
    PROVINCES,
    birth_date_problem,
    is_canonical_resident_id,
    normalise_resident_id,
)
from socialcredit.identity.uscc import normalise_uscc

ALL_DIGITS_HINT = (
    "an all-digit unified social credit code must be declared with identifier_kind "
    f"{IdentifierKind.USCC.value!r}"
)

_DIGITS = frozenset("0123456789")


def _plain(normalise: Callable[[str], str], kind: IdentifierKind) -> Callable[[str], SubjectId]:
    def read(text: str) -> SubjectId:
        return SubjectId(kind.subject_kind, normalise(text), (), kind)

    return read


def _uscc(text: str) -> SubjectId:
    found = normalise_uscc(text)
    return SubjectId(found.kind, found.value, found.warnings, IdentifierKind.USCC)


READERS: dict[IdentifierKind, Callable[[str], SubjectId]] = {
    IdentifierKind.RESIDENT: _plain(normalise_resident_id, IdentifierKind.RESIDENT),
    IdentifierKind.RESIDENCE_PERMIT: _plain(
        normalise_residence_permit, IdentifierKind.RESIDENCE_PERMIT
    ),
    IdentifierKind.PERMANENT_RESIDENCE: _plain(
        normalise_permanent_residence, IdentifierKind.PERMANENT_RESIDENCE
    ),
    IdentifierKind.PASSPORT: _plain(normalise_passport, IdentifierKind.PASSPORT),
    IdentifierKind.USCC: _uscc,
    IdentifierKind.ORGANISATION_CODE: _plain(
        normalise_organisation_code, IdentifierKind.ORGANISATION_CODE
    ),
}


def _all_digits18(value: str) -> bool:
    return _DIGITS.issuperset(value[:17]) and value[17] in "0123456789X"


def _person_like(value: str) -> bool:
    """17 digits whose region and birth date make a person's number, whatever the last
    character: a mistyped check character, never a credit code's letter."""
    region = (
        value[:2] in PROVINCES
        or value[:6] in PERMIT_REGIONS
        or (value[0] == CARD_2023_FIRST and value[1:3] in CARD_PROVINCES)
    )
    return _DIGITS.issuperset(value[:17]) and region and birth_date_problem(value) is None


def _kind18(value: str) -> IdentifierKind:
    """The kind of 18 characters: a person's number when all digits (or 17 digits that read
    as one, with a mistyped last character), else a credit code."""
    if not (_all_digits18(value) or _person_like(value)):
        return IdentifierKind.USCC
    if value[:6] in PERMIT_REGIONS:
        return IdentifierKind.RESIDENCE_PERMIT
    if value[0] == CARD_2023_FIRST:
        return IdentifierKind.PERMANENT_RESIDENCE
    return IdentifierKind.RESIDENT


def inferred_kind(text: str) -> IdentifierKind | None:
    """The only kind the format of ``text`` allows, or ``None`` if it allows none."""
    value = compact(text).upper()
    found: IdentifierKind | None = None
    if SEPARATOR in value:
        found = IdentifierKind.PASSPORT
    elif len(value) == ORGANISATION_CODE_LENGTH or (
        len(value) == ORGANISATION_CODE_LENGTH + 1 and value[8] == "-"
    ):
        found = IdentifierKind.ORGANISATION_CODE
    elif len(value) == LEGACY_LENGTH:
        alpha = value[:3].isalpha()
        found = IdentifierKind.PERMANENT_RESIDENCE if alpha else IdentifierKind.RESIDENT
    elif len(value) == IDENTIFIER_LENGTH:
        found = _kind18(value)
    return found


def parse_subject(text: str, kind: IdentifierKind | str | None = None) -> SubjectId:
    """Read ``text`` as an identifier of ``kind`` (declared) or of the kind its format allows.

    Raise :class:`IdentifierError` with a machine ``reason`` if it is not a valid identifier
    (see the module documentation for the rules)."""
    if kind is None:
        value = compact(text)
        if is_canonical_resident_id(value):  # the usual case, at once
            return SubjectId(SubjectKind.PERSON, value, (), IdentifierKind.RESIDENT)
        found = inferred_kind(text)
        if found is None:
            raise _length_refusal(text, value)
        try:
            return READERS[found](text)
        except IdentifierError as error:
            if len(value) == IDENTIFIER_LENGTH and found.subject_kind is SubjectKind.PERSON:
                raise _hinted(error) from None
            raise
    declared = _declared(text, kind)
    try:
        read = READERS[declared](text)
    except IdentifierError as error:
        raise _wrong_kind(text, declared) or error from error
    if read.warnings:  # a flagged legacy credit code, unless it plainly is something else
        wrong = _wrong_kind(text, declared)
        if wrong is not None:
            raise wrong
    return read


def _wrong_kind(text: str, declared: IdentifierKind) -> IdentifierError | None:
    """The refusal of ``text`` as ``declared`` when it is a valid identifier of another kind."""
    other = inferred_kind(text)
    if other is None or other is declared or not _valid(text, other):
        return None
    return refusal(
        text,
        declared,
        "wrong-kind",
        f"it is a {NAMES[other]}, not a {NAMES[declared]}",
        found=str(other),
    )


def _declared(text: str, kind: IdentifierKind | str) -> IdentifierKind:
    try:
        return IdentifierKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in IdentifierKind)
        identifier = shown(text)
        raise IdentifierError(
            f"identifier_kind {kind!r} is not one of: {allowed}",
            {"identifier": identifier, "reason": "unknown-kind", "scheme": "subject"},
        ) from None


def _valid(text: str, kind: IdentifierKind) -> bool:
    try:
        found = READERS[kind](text)
    except IdentifierError:
        return False
    return not found.warnings


def _hinted(error: IdentifierError) -> IdentifierError:
    """The refusal of an all-digit number, saying that a credit code must be declared."""
    return IdentifierError(
        f"{error.message} ({ALL_DIGITS_HINT})", {**error.details, "hint": ALL_DIGITS_HINT}
    )


def _length_refusal(text: str, value: str) -> IdentifierError:
    """Build the error for an identifier whose length no kind has."""
    identifier = shown(text)
    return IdentifierError(
        f"{identifier!r} is not a valid resident identity number or unified social credit "
        f"code: it has {len(value)} characters; expected 18 (or 15 for a resident identity "
        "number issued before 1999, 9 for an organisation code, CCC:NUMBER for a passport)",
        {"identifier": identifier, "reason": "bad-length", "scheme": "subject"},
    )


def key_kind(key: str, subject_kind: SubjectKind | str) -> IdentifierKind | None:
    """The kind of a canonical key kept with its subject's kind (a registry's subject): an
    organisation's 18 characters are a credit code even when all digits, 9 an organisation
    code; a person's key is of the kind its format shows."""
    if SubjectKind(subject_kind) is SubjectKind.ORGANISATION:
        if len(key) == ORGANISATION_CODE_LENGTH:
            return IdentifierKind.ORGANISATION_CODE
        return IdentifierKind.USCC
    return inferred_kind(key)
