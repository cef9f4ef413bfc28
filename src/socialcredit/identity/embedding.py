"""Which organisation an old organisation code names: the credit code that embeds it.

A record filed under a national organisation code (GB 11714) is about the organisation whose
Unified Social Credit Code holds that code as its characters 9 to 17
(:func:`~socialcredit.identity.orgcode.organisation_code_of`). Which credit codes exist is not
something an identifier can tell: the caller says which ones it knows (the credit codes of the
same input, of a whole dataset, or of a registry's organisations) and the index resolves a code
to the one known credit code that embeds it. It never guesses: a code that no known credit code
embeds, or that several embed (two registration authorities or regions can give credit codes
with the same organisation code), is refused with the reason, never kept as a subject of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from socialcredit.errors import IdentifierError
from socialcredit.identity.kinds import IDENTIFIER_LENGTH, IdentifierKind, SubjectKind
from socialcredit.identity.orgcode import ORGANISATION_CODE_LENGTH, organisation_code_of

FILE_UNDER = "file the record under the organisation's credit code"
LOOK_UP_BY = "look the organisation up by its credit code"
UNMATCHED = "unmatched-organisation-code"
AMBIGUOUS = "ambiguous-organisation-code"


def shown_organisation_code(code: str) -> str:
    """A canonical organisation code as it is usually written, with its hyphen."""
    return f"{code[:8]}-{code[8:]}" if len(code) == ORGANISATION_CODE_LENGTH else code


def is_organisation_code_key(key: str, subject_kind: SubjectKind | str) -> bool:
    """Whether a canonical key kept with its subject's kind is an organisation code."""
    return (
        SubjectKind(subject_kind) is SubjectKind.ORGANISATION
        and len(key) == ORGANISATION_CODE_LENGTH
    )


@dataclass(frozen=True)
class OrganisationCodeIndex:
    """The organisation codes embedded in a set of known credit codes, each with the credit
    codes that embed it (in order)."""

    embedders: Mapping[str, tuple[str, ...]]

    @classmethod
    def of(cls, keys: Iterable[str]) -> OrganisationCodeIndex:
        """The index of the canonical credit codes among ``keys`` (other keys are ignored, as
        are credit codes whose characters 9 to 17 are not a valid organisation code)."""
        found: dict[str, set[str]] = {}
        for key in keys:
            if len(key) != IDENTIFIER_LENGTH:
                continue
            code = organisation_code_of(key)
            if code is not None:
                found.setdefault(code, set()).add(key)
        return cls({code: tuple(sorted(usccs)) for code, usccs in found.items()})

    def credit_code_of(self, code: str, advice: str = FILE_UNDER) -> str:
        """The one known credit code embedding the canonical organisation ``code``; raise
        :class:`IdentifierError` (reason ``unmatched-organisation-code`` or
        ``ambiguous-organisation-code``, ending with ``advice``) when there is none or more
        than one."""
        usccs = self.embedders.get(code, ())
        if len(usccs) == 1:
            return usccs[0]
        raise organisation_code_refusal(code, usccs, advice)


def organisation_code_refusal(
    code: str, usccs: tuple[str, ...], advice: str = FILE_UNDER
) -> IdentifierError:
    """The refusal of a record filed (or a lookup) under ``code``, which the credit codes
    ``usccs`` embed (none, or several)."""
    written = shown_organisation_code(code)
    details = {"identifier": written, "scheme": str(IdentifierKind.ORGANISATION_CODE)}
    if not usccs:
        return IdentifierError(
            f"organisation code {written} matches no known unified social credit code: {advice}",
            {**details, "reason": UNMATCHED},
        )
    listed = ", ".join(usccs)
    return IdentifierError(
        f"organisation code {written} is ambiguous: the known unified social credit codes "
        f"{listed} all embed it; {advice}",
        {**details, "reason": AMBIGUOUS, "candidates": listed},
    )
