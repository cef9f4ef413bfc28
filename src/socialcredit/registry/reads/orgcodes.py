"""A subject looked up by an old organisation code: the registry's organisation whose credit
code embeds it (``identity.embedding``), or a refusal naming why there is none."""

from __future__ import annotations

from socialcredit.identity import (
    IdentifierKind,
    OrganisationCodeIndex,
    SubjectId,
    SubjectKind,
    is_organisation_code_key,
)
from socialcredit.identity.embedding import LOOK_UP_BY
from socialcredit.registry.context import Registry
from socialcredit.registry.writes.orgcodes import registered_credit_codes


def registered_subject(reg: Registry, sid: SubjectId) -> SubjectId:
    """``sid``, or for an organisation code the registry's organisation whose credit code
    embeds it; raise :class:`~socialcredit.errors.IdentifierError` when none or several do."""
    if not is_organisation_code_key(sid.value, sid.kind):
        return sid
    with reg.engine.connect() as conn:
        known = registered_credit_codes(conn, {sid.value})
    uscc = OrganisationCodeIndex.of(known).credit_code_of(sid.value, LOOK_UP_BY)
    return SubjectId(SubjectKind.ORGANISATION, uscc, (), IdentifierKind.USCC)
