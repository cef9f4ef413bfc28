"""Submitted link lines before anything is written: each line read into a :class:`Link` or
refused with its reasons.

A link names an organisation (a unified social credit code) and a person (any person's
identifier), a role of the base taxonomy, its validity and its source. The agency must be one
that the taxonomy lets establish the role from that source (``roles[].established_by``: the
kinds of authority, matched against the ``authority_kind`` of the agency's own catalogue items).
The payload compared for idempotency is the link's fields with surrounding spaces and empty
values removed, as a record's is.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from socialcredit.engine import DisputeOutcome
from socialcredit.engine.links import LINK_FIELDS, Link, LinkSource
from socialcredit.errors import IdentifierError
from socialcredit.identity import IdentifierKind, SubjectId, SubjectKind, parse_subject
from socialcredit.identity.subject import ALL_DIGITS_HINT
from socialcredit.policy.base import base_catalogue
from socialcredit.policy.policyset import PolicySet
from socialcredit.registry.audit import canonical
from socialcredit.registry.writes.intake import LineOutcome, RawLine

_DATES = ("valid_from", "valid_to", "revoked_on", "disputed_on", "dispute_decided_on")
_REQUIRED = ("id", "organisation", "person", "role", "valid_from", "source", "reference")
_OUTCOMES = (DisputeOutcome.UPHELD, DisputeOutcome.REVOKED)
_HINT = f" ({ALL_DIGITS_HINT})"
_A = {SubjectKind.PERSON: "a person", SubjectKind.ORGANISATION: "an organisation"}


@dataclass(frozen=True)
class LinkCandidate:
    """A valid link line: the link, its compared payload and the payload's SHA-256."""

    line: int
    link: Link
    payload: dict[str, str]
    sha256: str
    warnings: tuple[str, ...] = ()


def link_payload(raw: Mapping[str, Any]) -> dict[str, str]:
    """The compared payload: the link fields, stripped, empty values left out."""
    out = {}
    for key in LINK_FIELDS:
        value = raw.get(key)
        text = "" if value is None else str(value).strip()
        if text:
            out[key] = text
    return out


def agency_kinds(policies: PolicySet, agency: str) -> set[str]:
    """The kinds of authority the agency is: those of the catalogue items it submits."""
    return {
        str(item.authority_kind)
        for item in policies.items.values()
        if item.authority == agency and item.authority_kind is not None
    }


def may_establish(policies: PolicySet, agency: str, role: str, source: str) -> str | None:
    """Why ``agency`` may not establish a link in ``role`` from ``source`` (None: it may)."""
    found = base_catalogue().roles[role]
    kinds = agency_kinds(policies, agency)
    ways = [w for w in found.established_by if w.source == source]
    if any(kinds.intersection(w.authority_kinds) for w in ways):
        return None
    allowed = "; ".join(
        f"from {w.source} by {', '.join(w.authority_kinds)}" for w in found.established_by
    )
    what = ", ".join(sorted(kinds)) or "none (it submits no catalogue item)"
    return (
        f"agency {agency!r} cannot establish a link as {role} from {source}: the role is "
        f"established {allowed} (taxonomy roles); the kind of authority of {agency!r}'s "
        f"items: {what}"
    )


def _identifier(
    raw: Mapping[str, Any], column: str, want: SubjectKind, reasons: list[str]
) -> SubjectId | None:
    text = str(raw.get(column) or "").strip()
    if not text:
        return None
    declared = IdentifierKind.USCC if want is SubjectKind.ORGANISATION else None
    try:
        found = parse_subject(text, declared)
    except IdentifierError as error:  # a link's columns have no declared kind to hint at
        reasons.append(f"{column} {text!r}: {error.message.replace(_HINT, '')}")
        return None
    if found.kind is not want:
        kind = "" if found.identifier_kind is None else f" ({found.identifier_kind})"
        reasons.append(
            f"{column} {text!r} is {_A[found.kind]}{kind}; a link's {column} is {_A[want]}"
        )
        return None
    return found


def _dates(raw: Mapping[str, Any], reasons: list[str]) -> dict[str, date | None]:
    found: dict[str, date | None] = {}
    for key in _DATES:
        text = str(raw.get(key) or "").strip()
        try:
            found[key] = date.fromisoformat(text) if text else None
        except ValueError:
            reasons.append(f"{key} {text!r} is not a date (YYYY-MM-DD)")
            found[key] = None
    return found


def _order(d: Mapping[str, date | None], reasons: list[str]) -> None:
    start = d["valid_from"]
    if start is None:
        return
    for key in ("valid_to", "revoked_on", "disputed_on"):
        if (when := d[key]) is not None and when < start:
            reasons.append(f"{key} {when} is before valid_from {start}")
    if d["valid_to"] is not None and d["valid_to"] == start:
        reasons.append(f"valid_to {start} is valid_from: the link would never hold")
    disputed, decided = d["disputed_on"], d["dispute_decided_on"]
    if decided is not None and (disputed is None or decided < disputed):
        reasons.append("dispute_decided_on needs an earlier or equal disputed_on")


def _enums(raw: Mapping[str, Any], reasons: list[str]) -> tuple[str, str, str]:
    role = str(raw.get("role") or "").strip()
    roles = base_catalogue().roles
    if role and role not in roles:
        reasons.append(f"role {role!r} is not a base taxonomy role ({', '.join(roles)})")
    source = str(raw.get("source") or "").strip()
    sources = [str(s) for s in LinkSource]
    if source and source not in sources:
        reasons.append(f"source {source!r} is not one of {', '.join(sources)}")
    outcome = str(raw.get("dispute_outcome") or "").strip()
    if outcome and outcome not in _OUTCOMES:
        reasons.append(f"dispute_outcome {outcome!r} is not upheld or revoked")
    return role, source, outcome


@dataclass(frozen=True)
class LinkLine:
    """Where a raw link line is checked: for which agency, under which policies, on which
    registry date."""

    agency: str
    policies: PolicySet
    today: date


def check_link_line(line: int, raw: RawLine, under: LinkLine) -> LinkCandidate | LineOutcome:
    """The line's link, or its refusal with every reason found."""
    if isinstance(raw, str):
        return LineOutcome(line, None, "refused", (raw,))
    reasons = [f"{key} is missing" for key in _REQUIRED if not str(raw.get(key) or "").strip()]
    unknown = sorted(set(raw) - set(LINK_FIELDS))
    if unknown:
        reasons.append(
            f"unknown field(s) {', '.join(unknown)} (a link has {', '.join(LINK_FIELDS)})"
        )
    link_id = str(raw.get("id") or "").strip() or None
    org = _identifier(raw, "organisation", SubjectKind.ORGANISATION, reasons)
    person = _identifier(raw, "person", SubjectKind.PERSON, reasons)
    role, source, outcome = _enums(raw, reasons)
    dates = _dates(raw, reasons)
    _order(dates, reasons)
    start = dates["valid_from"]
    if start is not None and start > under.today:
        reasons.append(f"valid_from {start} is after the registry's date {under.today}")
    if not reasons and (why := may_establish(under.policies, under.agency, role, source)):
        reasons.append(why)
    if reasons or org is None or person is None or start is None or link_id is None:
        return LineOutcome(line, link_id, "refused", tuple(reasons))
    link = Link(
        id=link_id,
        organisation=org.value,
        person=person.value,
        role=role,
        valid_from=start,
        source=LinkSource(source),
        authority=str(raw.get("authority") or under.agency).strip(),
        reference=str(raw["reference"]).strip(),
        valid_to=dates["valid_to"],
        revoked_on=dates["revoked_on"],
        disputed_on=dates["disputed_on"],
        dispute_decided_on=dates["dispute_decided_on"],
        dispute_outcome=DisputeOutcome(outcome) if outcome else None,
    )
    payload = link_payload(raw)
    digest = hashlib.sha256(canonical(payload)).hexdigest()
    return LinkCandidate(line, link, payload, digest, org.warnings + person.warnings)


def link_ends(link: Link) -> date:
    """The first day the link no longer holds (``date.max``: open)."""
    ends = [d for d in (link.valid_to, link.revoked_on) if d is not None]
    if link.dispute_outcome is DisputeOutcome.REVOKED and link.dispute_decided_on is not None:
        ends.append(link.dispute_decided_on)
    return min(ends, default=date.max)


def overlaps(a: Link, b: Link) -> bool:
    """Whether the two links hold on a common day."""
    return a.valid_from < link_ends(b) and b.valid_from < link_ends(a)


def overlap_reason(new: Link, held: Link, one_holder: bool) -> str | None:
    """Why ``new`` may not be registered beside ``held`` (same organisation and role)."""
    if not overlaps(new, held):
        return None
    if held.person == new.person:
        return (
            f"link {new.id!r} duplicates link {held.id!r}: {new.person} is already linked to "
            f"{new.organisation} as {new.role} from {held.valid_from}"
        )
    if one_holder:
        return (
            f"link {new.id!r} overlaps link {held.id!r}: {new.organisation} has one "
            f"{new.role} at a time, and {held.person} holds it from {held.valid_from}"
            + (f" to {held.valid_to}" if held.valid_to else "")
            + "; end or revoke that link first"
        )
    return None
