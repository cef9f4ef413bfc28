"""Reading an identifier typed to look a subject up (a file, a check, a public lookup).

A record must declare an all-digit credit code (``identity.subject``); someone looking a
subject up types text, often without saying what it is. Eighteen digits (the last may be
``X``) are then tried as both kinds: a person's number (of the kind its first digits show) and
a unified social credit code, each by its own check character. Valid as exactly one, it is
that one; valid as both, the lookup is refused as ``ambiguous-kind`` and must say which kind
(``--kind``, ``kind=``); valid as neither, it is refused as ``parse_subject`` refuses it. A
declared kind is read as that kind only, as ``parse_subject`` does.
"""

from __future__ import annotations

from socialcredit.errors import IdentifierError
from socialcredit.identity.kinds import (
    IDENTIFIER_LENGTH,
    NAMES,
    IdentifierKind,
    SubjectId,
    SubjectKind,
    compact,
    shown,
)
from socialcredit.identity.resident import is_canonical_resident_id
from socialcredit.identity.subject import READERS, inferred_kind, parse_subject
from socialcredit.identity.uscc import uscc_check_character

AMBIGUOUS_KIND = "ambiguous-kind"
_DIGITS = frozenset("0123456789")


def _valid(text: str, kind: IdentifierKind) -> SubjectId | None:
    try:
        found = READERS[kind](text)
    except IdentifierError:
        return None
    return None if found.warnings else found


def _all_digits(value: str) -> bool:
    return (
        len(value) == IDENTIFIER_LENGTH
        and _DIGITS.issuperset(value[:17])
        and value[17] in "0123456789X"
    )


def parse_lookup(
    text: str, kind: IdentifierKind | str | None = None, among: SubjectKind | None = None
) -> SubjectId:
    """Read ``text`` to look a subject up: as ``kind`` if declared; eighteen digits as the
    one kind whose check character they pass (of subjects of kind ``among`` only, if given);
    anything else as :func:`parse_subject` reads it."""
    if kind is not None:
        return parse_subject(text, kind)
    value = compact(text).upper()
    if not _all_digits(value):
        return parse_subject(text)
    credit_code = uscc_check_character(value[:17]) == value[17]
    if (
        not credit_code
        and among is not SubjectKind.ORGANISATION
        and is_canonical_resident_id(value)
    ):
        return SubjectId(SubjectKind.PERSON, value, (), IdentifierKind.RESIDENT)  # the usual case
    person_kind = inferred_kind(value) or IdentifierKind.RESIDENT
    kinds = [
        k for k in (person_kind, IdentifierKind.USCC) if among is None or k.subject_kind is among
    ]
    if not credit_code:
        kinds = [k for k in kinds if k is not IdentifierKind.USCC]
    valid = [(k, found) for k in kinds if (found := _valid(text, k)) is not None]
    if len(valid) == 1:
        return valid[0][1]
    if len(valid) > 1:
        raise ambiguous_kind(text, tuple(k for k, _ in valid))
    return parse_subject(text, IdentifierKind.USCC if among is SubjectKind.ORGANISATION else None)


def ambiguous_kind(text: str, kinds: tuple[IdentifierKind, ...]) -> IdentifierError:
    """The refusal of a lookup by ``text``, valid as each of ``kinds``."""
    identifier = shown(text)
    names = " and as a ".join(NAMES[k] for k in kinds)
    listed = ", ".join(k.value for k in kinds)
    return IdentifierError(
        f"{identifier!r} is ambiguous: it is valid as a {names}; say which kind it is "
        f"(one of: {listed})",
        {"identifier": identifier, "reason": AMBIGUOUS_KIND, "scheme": "subject", "kinds": listed},
    )
