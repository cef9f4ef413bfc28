"""Turn one raw link (a mapping of strings, from JSON Lines, CSV or Parquet) into a :class:`Link`.

Every reason a link is refused is collected: an unknown field, a missing id, an identifier that
is invalid or of the wrong kind for its column (``organisation`` must be an organisation's,
``person`` a person's), a role that is not a base taxonomy role, an unknown source, a link
without its establishing authority and reference (a link is sourced, principle 7), impossible
or out-of-order dates, an objection decision without its outcome, or with an outcome other than
``upheld`` or ``revoked`` (a link is never corrected: a new link is submitted).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from socialcredit.engine.hygiene import date_problem, text_problem
from socialcredit.engine.links import LINK_FIELDS, Link, LinkSource
from socialcredit.engine.records import DisputeOutcome
from socialcredit.engine.validation import dispute_order, field_text, outcome_presence
from socialcredit.errors import IdentifierError
from socialcredit.identity import SubjectId, SubjectKind, parse_subject

LINK_DATE_FIELDS = ("valid_from", "valid_to", "revoked_on", "disputed_on", "dispute_decided_on")
LINK_TEXT_LIMITS = {
    "id": 200,
    "organisation": 40,
    "person": 40,
    "role": 64,
    "source": 40,
    "authority": 300,
    "reference": 300,
    "dispute_outcome": 20,
}
"""The longest value, in characters, of each text field of a link."""
LINK_OUTCOMES = (DisputeOutcome.UPHELD, DisputeOutcome.REVOKED)
_WHOSE = {SubjectKind.PERSON: "a person's", SubjectKind.ORGANISATION: "an organisation's"}


@dataclass
class CheckedLink:
    """The outcome of validating one raw link."""

    link: Link | None = None
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _identifier(
    raw: Mapping[str, Any], key: str, kind: SubjectKind, out: CheckedLink
) -> str | None:
    text = field_text(raw, key)
    if text is None:
        out.reasons.append(f"{key} is missing")
        return None
    try:
        sid: SubjectId = parse_subject(text)
    except IdentifierError as exc:
        out.reasons.append(f"{key}: {exc.message}")
        return None
    if sid.kind is not kind:
        named = f" ({sid.identifier_kind})" if sid.identifier_kind else ""
        out.reasons.append(
            f"{key} {text!r} is {_WHOSE[sid.kind]} identifier{named}; the {key} of a link "
            f"must be {_WHOSE[kind]} identifier"
        )
        return None
    out.warnings.extend(f"{key}: {w}" for w in sid.warnings)
    return sid.value


def _dates(raw: Mapping[str, Any], out: CheckedLink) -> dict[str, date | None]:
    dates: dict[str, date | None] = {}
    for key in LINK_DATE_FIELDS:
        value = raw.get(key)
        found: date | None = None
        if isinstance(value, date):
            found = value
        elif (text := field_text(raw, key)) is not None:
            try:
                found = date.fromisoformat(text)
            except ValueError:
                out.reasons.append(f"{key} {text!r} is not a date (YYYY-MM-DD)")
        problem = None if found is None else date_problem(key, found)
        if problem is not None:
            out.reasons.append(problem)
            found = None
        dates[key] = found
    return dates


def _date_order(d: Mapping[str, date | None], out: CheckedLink) -> None:
    start = d["valid_from"]
    if start is None:
        out.reasons.append("valid_from is missing: every link has the date it starts")
        return
    end = d["valid_to"]
    if end is not None and end <= start:
        out.reasons.append(f"valid_to {end} is not after valid_from {start}")
    for key in ("revoked_on", "disputed_on"):
        when = d[key]
        if when is not None and when < start:
            out.reasons.append(f"{key} {when} is before valid_from {start}")
    out.reasons += dispute_order(d["disputed_on"], d["dispute_decided_on"], "link")


def _outcome(raw: Mapping[str, Any], decided: bool, out: CheckedLink) -> DisputeOutcome | None:
    text = field_text(raw, "dispute_outcome")
    out.reasons += outcome_presence(text, decided)
    if text is None:
        return None
    if text not in {o.value for o in LINK_OUTCOMES}:
        out.reasons.append(
            f"dispute_outcome {text!r} is not one of: upheld, revoked (a link is not "
            "corrected: submit a new link)"
        )
        return None
    return DisputeOutcome(text)


def _enums(raw: Mapping[str, Any], roles: Collection[str], out: CheckedLink) -> None:
    role = field_text(raw, "role")
    if role is None:
        out.reasons.append("role is missing")
    elif role not in roles:
        out.reasons.append(f"role {role!r} is not a base role ({', '.join(sorted(roles))})")
    source = field_text(raw, "source")
    if source is None:
        out.reasons.append("source is missing")
    elif source not in {s.value for s in LinkSource}:
        out.reasons.append(
            f"source {source!r} is not one of: {', '.join(s.value for s in LinkSource)}"
        )
    for key in ("authority", "reference"):
        if field_text(raw, key) is None:
            out.reasons.append(
                f"a link needs its establishing {key} (a link is dated and sourced, principle 7)"
            )


def validate_link(raw: Mapping[str, Any], roles: Collection[str]) -> CheckedLink:
    """Validate one raw link; ``roles`` are the base taxonomy's role ids."""
    out = CheckedLink()
    unknown = sorted(set(raw) - set(LINK_FIELDS))
    if unknown:
        out.reasons.append(f"unknown field(s): {', '.join(map(str, unknown))}")
    for key, limit in LINK_TEXT_LIMITS.items():
        value = raw.get(key)
        problem = None if value is None else text_problem(key, str(value).strip(), limit)
        if problem is not None:
            out.reasons.append(problem)
    link_id = field_text(raw, "id")
    if link_id is None:
        out.reasons.append("id is missing")
    organisation = _identifier(raw, "organisation", SubjectKind.ORGANISATION, out)
    person = _identifier(raw, "person", SubjectKind.PERSON, out)
    _enums(raw, roles, out)
    dates = _dates(raw, out)
    _date_order(dates, out)
    outcome = _outcome(raw, dates["dispute_decided_on"] is not None, out)
    start = dates["valid_from"]
    if out.reasons or not (link_id and organisation and person and start):
        return out
    out.link = Link(
        id=link_id,
        organisation=organisation,
        person=person,
        role=str(field_text(raw, "role")),
        valid_from=start,
        source=LinkSource(str(field_text(raw, "source"))),
        authority=str(field_text(raw, "authority")),
        reference=str(field_text(raw, "reference")),
        valid_to=dates["valid_to"],
        revoked_on=dates["revoked_on"],
        disputed_on=dates["disputed_on"],
        dispute_decided_on=dates["dispute_decided_on"],
        dispute_outcome=outcome,
    )
    return out
