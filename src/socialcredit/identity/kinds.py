"""The words of the identity layer: what kind of subject, and its canonical identifier.

Also the two small text helpers every identifier scheme shares: removing whitespace, and showing
an identifier in a message (quoted, and cut short if someone pasted a whole paragraph).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from socialcredit.errors import IdentifierError

IDENTIFIER_LENGTH = 18
"""A resident identity number, a residence permit, a 2023 permanent residence card and a unified
social credit code all have 18 characters."""

_SHOWN_MAX = 40


class SubjectKind(StrEnum):
    """A subject is a natural person or an organisation."""

    PERSON = "person"
    ORGANISATION = "organisation"


class IdentifierKind(StrEnum):
    """The kinds of identifier a record may carry (``identifier_kind``), see docs/identity.md."""

    RESIDENT = "resident-identity-number"  # GB 11643, 18 characters (15 before 1999)
    RESIDENCE_PERMIT = "residence-permit"  # Hong Kong, Macao and Taiwan residents
    PERMANENT_RESIDENCE = "permanent-residence-card"  # foreigners' (2004 and 2023 formats)
    PASSPORT = "passport"  # ISO 3166 alpha-3 country and the passport number
    USCC = "unified-social-credit-code"  # GB 32100
    ORGANISATION_CODE = "organisation-code"  # GB 11714, the code before the USCC

    @property
    def subject_kind(self) -> SubjectKind:
        """Whom an identifier of this kind names."""
        if self in (IdentifierKind.USCC, IdentifierKind.ORGANISATION_CODE):
            return SubjectKind.ORGANISATION
        return SubjectKind.PERSON


@dataclass(frozen=True, slots=True)
class SubjectId:
    """A subject's identifier in canonical form (upper case, no whitespace).

    ``warnings`` holds reasons to have a person review the identifier (for instance a unified
    social credit code whose check character does not match); it is empty for a clean one.
    """

    kind: SubjectKind
    value: str
    warnings: tuple[str, ...] = ()
    identifier_kind: IdentifierKind | None = field(default=None, compare=False)
    """The kind of identifier read (``None`` where it was not determined); not part of the
    subject's identity, which is its canonical value and kind."""


def compact(text: str) -> str:
    """Return ``text`` without any whitespace (around it or inside it)."""
    return "".join(text.split())


def shown(text: str) -> str:
    """Return the identifier as it may appear in a message: stripped, and cut if very long."""
    stripped = text.strip()
    if len(stripped) > _SHOWN_MAX:
        return stripped[:_SHOWN_MAX] + "…"
    return stripped


def refusal(
    text: str, kind: IdentifierKind, reason: str, explanation: str, **extra: str
) -> IdentifierError:
    """The error refusing ``text`` as an identifier of ``kind``, with a machine ``reason``."""
    identifier = shown(text)
    return IdentifierError(
        f"{identifier!r} is not a valid {NAMES[kind]}: {explanation}",
        {"identifier": identifier, "reason": reason, "scheme": str(kind), **extra},
    )


def check_character_refusal(
    text: str, kind: IdentifierKind, found: str, expected: str
) -> IdentifierError | None:
    """The refusal of ``text`` whose check character is ``found`` where ``expected`` is due,
    or None when they agree."""
    if found == expected:
        return None
    explanation = f"the check character should be {expected!r}"
    return refusal(text, kind, "bad-check-character", explanation, expected=expected)


NAMES = {
    IdentifierKind.RESIDENT: "resident identity number",
    IdentifierKind.RESIDENCE_PERMIT: "residence permit for Hong Kong, Macao and Taiwan residents",
    IdentifierKind.PERMANENT_RESIDENCE: "foreigner's permanent residence identity card number",
    IdentifierKind.PASSPORT: "passport (country:number)",
    IdentifierKind.USCC: "unified social credit code",
    IdentifierKind.ORGANISATION_CODE: "national organisation code",
}
"""How each kind is named in messages."""
