"""The words of the identity layer: what kind of subject, and its canonical identifier.

Also the two small text helpers both identifier schemes share: removing whitespace, and showing
an identifier in a message (quoted, and cut short if someone pasted a whole paragraph).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

IDENTIFIER_LENGTH = 18
"""Both a resident identity number and a unified social credit code have 18 characters."""

_SHOWN_MAX = 40


class SubjectKind(StrEnum):
    """A subject is a natural person or an organisation."""

    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class SubjectId:
    """A subject's identifier in canonical form (18 characters, upper case).

    ``warnings`` holds reasons to have a person review the identifier (for instance a unified
    social credit code whose check character does not match); it is empty for a clean one.
    """

    kind: SubjectKind
    value: str
    warnings: tuple[str, ...] = ()


def compact(text: str) -> str:
    """Return ``text`` without any whitespace (around it or inside it)."""
    return "".join(text.split())


def shown(text: str) -> str:
    """Return the identifier as it may appear in a message: stripped, and cut if very long."""
    stripped = text.strip()
    if len(stripped) > _SHOWN_MAX:
        return stripped[:_SHOWN_MAX] + "…"
    return stripped
