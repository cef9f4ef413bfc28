"""Submitted records filed under an old organisation code, kept under the organisation's
credit code.

The credit codes known to the registry are its organisations: the organisation subjects it
holds and the organisations whose names it registers, together with the credit codes of the
same submission. A record filed under an organisation code is kept under the one of them that
embeds the code (``identity.embedding``); the code as filed stays in the record's payload (its
file shows it). A record whose code none embeds yet is tried again after the submission's last
chunk (its credit code may come later in the same submission) and refused then; one whose code
several embed is refused at once. Neither is ever kept as a subject of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from sqlalchemy import Connection, func, select

from socialcredit.engine.orgcodes import credit_codes, needs_resolution
from socialcredit.errors import IdentifierError
from socialcredit.identity import OrganisationCodeIndex, SubjectKind
from socialcredit.identity.embedding import UNMATCHED
from socialcredit.identity.kinds import IDENTIFIER_LENGTH
from socialcredit.registry.store.models import Organisation, Subject, table
from socialcredit.registry.writes.intake import Candidate, LineOutcome

_SUBJECTS, _ORGANISATIONS = table(Subject), table(Organisation)
_EMBEDDED_AT, _EMBEDDED_LENGTH = 9, 9


def registered_credit_codes(conn: Connection, codes: set[str]) -> set[str]:
    """The credit codes of the registry's organisations that embed one of ``codes``."""
    listed = sorted(codes)
    subjects = select(_SUBJECTS.c.id).where(
        _SUBJECTS.c.kind == str(SubjectKind.ORGANISATION),
        func.length(_SUBJECTS.c.id) == IDENTIFIER_LENGTH,
        func.substr(_SUBJECTS.c.id, _EMBEDDED_AT, _EMBEDDED_LENGTH).in_(listed),
    )
    names = select(_ORGANISATIONS.c.id).where(
        func.length(_ORGANISATIONS.c.id) == IDENTIFIER_LENGTH,
        func.substr(_ORGANISATIONS.c.id, _EMBEDDED_AT, _EMBEDDED_LENGTH).in_(listed),
    )
    return set(conn.execute(subjects).scalars()) | set(conn.execute(names).scalars())


@dataclass
class Resolved:
    """A chunk's candidates under their credit codes, the refused ones, and those to try
    again after the last chunk."""

    candidates: list[Candidate] = field(default_factory=list)
    refused: list[LineOutcome] = field(default_factory=list)
    later: list[Candidate] = field(default_factory=list)


def resolve_candidates(conn: Connection, candidates: list[Candidate], final: bool) -> Resolved:
    """Resolve the candidates filed under an organisation code against the registry's
    organisations and the chunk's credit codes; ``final``: the submission's last try."""
    pending = [c for c in candidates if needs_resolution(c.record)]
    if not pending:
        return Resolved(candidates)
    codes = {c.record.subject for c in pending}
    known = registered_credit_codes(conn, codes) | credit_codes(c.record for c in candidates)
    index = OrganisationCodeIndex.of(known)
    out = Resolved()
    for c in candidates:
        if not needs_resolution(c.record):
            out.candidates.append(c)
            continue
        try:
            uscc = index.credit_code_of(c.record.subject)
        except IdentifierError as error:
            if error.details["reason"] == UNMATCHED and not final:
                out.later.append(c)
            else:
                out.refused.append(LineOutcome(c.line, c.record.id, "refused", (error.message,)))
            continue
        out.candidates.append(replace(c, record=replace(c.record, subject=uscc)))
    return out
