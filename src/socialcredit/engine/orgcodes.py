"""Records filed under an old organisation code, resolved to their organisation's credit code.

:func:`validate_record` reads one record alone, so a record filed under a national organisation
code (GB 11714) comes out keyed by the 9-character code. Which organisation that is depends on
the credit codes known alongside: :func:`resolve_organisation_codes` takes the records read
together (a records file, a batch, a submission) and the credit codes known besides them, and
files each such record under the one known credit code that embeds its code
(``identity.embedding``). A record whose code no known credit code embeds, or several do, is
refused with the reason; it never stays a subject of its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from socialcredit.engine.records import Record
from socialcredit.errors import IdentifierError
from socialcredit.identity import OrganisationCodeIndex, SubjectKind, is_organisation_code_key


@dataclass(frozen=True)
class Resolved:
    """The records in their order, each under its credit code, and the refused ones with
    their reasons (by position in the records given)."""

    records: tuple[Record, ...]
    refused: tuple[tuple[int, Record, str], ...]


def credit_codes(records: Iterable[Record]) -> set[str]:
    """The credit codes the organisation records among ``records`` are filed under."""
    return {
        r.subject
        for r in records
        if r.subject_kind == SubjectKind.ORGANISATION
        and not is_organisation_code_key(r.subject, r.subject_kind)
    }


def needs_resolution(record: Record) -> bool:
    """Whether ``record`` is filed under an organisation code."""
    return is_organisation_code_key(record.subject, record.subject_kind)


def resolve_organisation_codes(records: Sequence[Record], known: Iterable[str] = ()) -> Resolved:
    """Resolve the records filed under an organisation code against the credit codes of
    ``records`` themselves and of ``known``."""
    if not any(needs_resolution(r) for r in records):
        return Resolved(tuple(records), ())
    index = OrganisationCodeIndex.of(credit_codes(records) | set(known))
    kept: list[Record] = []
    refused: list[tuple[int, Record, str]] = []
    for position, record in enumerate(records):
        if not needs_resolution(record):
            kept.append(record)
            continue
        try:
            kept.append(replace(record, subject=index.credit_code_of(record.subject)))
        except IdentifierError as error:
            refused.append((position, record, error.message))
    return Resolved(tuple(kept), tuple(refused))
