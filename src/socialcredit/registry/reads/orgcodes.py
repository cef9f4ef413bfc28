"""A subject looked up by text: eighteen digits valid as both kinds are the kind of the subject
the registry holds under them (``read_lookup``), and an old organisation code is the registry's
organisation whose credit code embeds it (``identity.embedding``), or a refusal naming why
there is none."""

from __future__ import annotations

from sqlalchemy import select

from socialcredit.errors import IdentifierError
from socialcredit.identity import (
    IdentifierKind,
    OrganisationCodeIndex,
    SubjectId,
    SubjectKind,
    is_organisation_code_key,
    parse_lookup,
)
from socialcredit.identity.embedding import LOOK_UP_BY
from socialcredit.identity.kinds import compact, shown
from socialcredit.identity.lookup import AMBIGUOUS_KIND
from socialcredit.registry.context import Registry
from socialcredit.registry.store.models import Subject
from socialcredit.registry.writes.orgcodes import registered_credit_codes

HELD_AS_OTHER_KIND = "held-as-other-kind"


def registered_subject(reg: Registry, sid: SubjectId) -> SubjectId:
    """``sid``, or for an organisation code the registry's organisation whose credit code
    embeds it; raise :class:`~socialcredit.errors.IdentifierError` when none or several do."""
    if not is_organisation_code_key(sid.value, sid.kind):
        return sid
    with reg.engine.connect() as conn:
        known = registered_credit_codes(conn, {sid.value})
    uscc = OrganisationCodeIndex.of(known).credit_code_of(sid.value, LOOK_UP_BY)
    return SubjectId(SubjectKind.ORGANISATION, uscc, (), IdentifierKind.USCC)


def read_lookup(reg: Registry, text: str, kind: IdentifierKind | str | None = None) -> SubjectId:
    """``parse_lookup(text, kind)``, where eighteen digits valid as both a person's number and a
    credit code are read by the subject the registry holds under them (a subject is held under
    one kind: both readings are the same characters): with no kind said, as that subject;
    with the other kind said, refused (``held-as-other-kind``). Held by none and with no kind
    said, the lookup stays ambiguous (``ambiguous-kind``)."""
    said = None if kind is None else parse_lookup(text, kind)
    try:
        found = parse_lookup(text)  # the text alone: one parse where no kind is said
    except IdentifierError as exc:
        if exc.details.get("reason") != AMBIGUOUS_KIND:
            if said is None:
                raise
            return said
        ambiguity = exc
    else:
        return found if said is None else said
    held = _held_kind(reg, compact(text).upper())
    if held is None:
        if said is None:
            raise ambiguity
        return said
    if said is not None and str(said.kind) != held:
        raise IdentifierError(
            f"{shown(text)!r} is held by the registry as an {held}'s identifier, "
            f"not a {said.kind}'s",
            {"identifier": shown(text), "reason": HELD_AS_OTHER_KIND, "held": held},
        )
    return parse_lookup(text, among=SubjectKind(held))


def _held_kind(reg: Registry, value: str) -> str | None:
    with reg.engine.connect() as conn:
        found = conn.execute(select(Subject.kind).where(Subject.id == value)).scalar_one_or_none()
    return None if found is None else str(found)
