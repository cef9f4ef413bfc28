"""Submitted link lines before anything is written: each line read into a :class:`Link` or
refused with its reasons.

A link names an organisation and a person (each identifier of the right kind for its column),
a role of the base taxonomy, its validity and its source (``engine.linkvalidation``). The
agency must be one that the taxonomy lets establish the role from that source
(``roles[].established_by``: the kinds of authority, matched against the ``authority_kind`` of
the agency's own catalogue items).
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
from socialcredit.engine.links import LINK_FIELDS, Link
from socialcredit.engine.linkvalidation import validate_link
from socialcredit.identity.subject import ALL_DIGITS_HINT
from socialcredit.policy.base import base_catalogue
from socialcredit.policy.policyset import PolicySet
from socialcredit.registry.audit import canonical
from socialcredit.registry.writes.intake import LineOutcome, RawLine

_HINT = f" ({ALL_DIGITS_HINT})"


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


@dataclass(frozen=True)
class LinkLine:
    """Where a raw link line is checked: for which agency, under which policies, on which
    registry date."""

    agency: str
    policies: PolicySet
    today: date


def check_link_line(line: int, raw: RawLine, under: LinkLine) -> LinkCandidate | LineOutcome:
    """The line's link, or its refusal with every reason found: the engine's validation of a
    link (the same as ``assess --links`` and the batch scorer's), then the registry's date and
    the agency's right to establish the role. A link without ``authority`` is established by
    the submitting agency."""
    if isinstance(raw, str):
        return LineOutcome(line, None, "refused", (raw,))
    link_id = str(raw.get("id") or "").strip() or None
    if not str(raw.get("authority") or "").strip():
        raw = {**raw, "authority": under.agency}
    checked = validate_link(raw, base_catalogue().roles)
    reasons = [reason.replace(_HINT, "") for reason in checked.reasons]
    link = checked.link
    if link is not None and link.valid_from > under.today:
        reasons.append(f"valid_from {link.valid_from} is after the registry's date {under.today}")
    if link is not None and not reasons:
        why = may_establish(under.policies, under.agency, link.role, str(link.source))
        reasons += [why] if why else []
    if reasons or link is None:
        return LineOutcome(line, link_id, "refused", tuple(reasons))
    payload = link_payload(raw)
    digest = hashlib.sha256(canonical(payload)).hexdigest()
    return LinkCandidate(line, link, payload, digest, tuple(checked.warnings))


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
            f"link {new.id!r} duplicates link {held.id}: {new.person} is already linked to "
            f"{new.organisation} as {new.role} from {held.valid_from}"
        )
    if one_holder:
        return (
            f"link {new.id!r} overlaps link {held.id}: {new.organisation} has one "
            f"{new.role} at a time, and {held.person} holds it from {held.valid_from}"
            + (f" to {held.valid_to}" if held.valid_to else "")
            + "; end or revoke that link first"
        )
    return None
