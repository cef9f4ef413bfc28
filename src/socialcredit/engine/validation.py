"""Turn one raw record (a mapping of strings, from JSON Lines or CSV) into a :class:`Record`.

Every reason a record is refused is collected, never just the first: invalid identifier (or one
not of its declared ``identifier_kind``), unknown
item, item not applicable to the subject's kind, a negative record without its deciding
authority or reference (principle 3), impossible dates, an unknown dispute outcome, a notice
state that contradicts its date.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from socialcredit.engine.hygiene import RECORD_TEXT_LIMITS, date_problem, text_problem
from socialcredit.engine.records import (
    INPUT_FIELDS,
    UNSERVED,
    DisputeOutcome,
    NoticeState,
    Record,
)
from socialcredit.errors import IdentifierError
from socialcredit.identity import SubjectId, parse_subject
from socialcredit.policy.policyset import PolicySet
from socialcredit.policy.vocabulary import Polarity

DATE_FIELDS = (
    "decided_on",
    "notified_on",
    "resolved_on",
    "revoked_on",
    "disputed_on",
    "dispute_decided_on",
)


@dataclass
class Checked:
    """The outcome of validating one raw record."""

    record: Record | None = None
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def field_text(raw: Mapping[str, Any], key: str) -> str | None:
    """A raw field as stripped text; missing or blank is None."""
    value = raw.get(key)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _dates(raw: Mapping[str, Any], out: Checked) -> dict[str, date | None]:
    dates: dict[str, date | None] = {}
    for key in DATE_FIELDS:
        text = field_text(raw, key)
        try:
            dates[key] = date.fromisoformat(text) if text else None
        except ValueError:
            out.reasons.append(f"{key} {text!r} is not a date (YYYY-MM-DD)")
            dates[key] = None
        found = dates[key]
        problem = None if found is None else date_problem(key, found)
        if problem is not None:
            out.reasons.append(problem)
            dates[key] = None
    return dates


def _texts(raw: Mapping[str, Any], out: Checked) -> None:
    """Input hygiene (``engine.hygiene``): lengths and control characters, in the text as it
    is read (stripped of surrounding whitespace)."""
    for key, limit in RECORD_TEXT_LIMITS.items():
        value = raw.get(key)  # surrounding whitespace is stripped when read (tabs too)
        problem = None if value is None else text_problem(key, str(value).strip(), limit)
        if problem is not None:
            out.reasons.append(problem)


def _date_order(d: Mapping[str, date | None], out: Checked) -> None:
    decided = d["decided_on"]
    if decided is None:
        out.reasons.append("decided_on is missing: every record has a decision date")
        return
    for key in ("notified_on", "resolved_on", "revoked_on", "disputed_on"):
        when = d[key]
        if when is not None and when < decided:
            out.reasons.append(f"{key} {when} is before decided_on {decided}")
    out.reasons += dispute_order(d["disputed_on"], d["dispute_decided_on"], "record")


def dispute_order(disputed: date | None, decided: date | None, what: str) -> list[str]:
    """Why a dispute's dates are impossible: decided without being disputed, or before."""
    if decided is not None and disputed is None:
        return [f"dispute_decided_on is set but the {what} was never disputed"]
    if decided is not None and disputed is not None and decided < disputed:
        return [f"dispute_decided_on {decided} is before disputed_on {disputed}"]
    return []


def outcome_presence(text: str | None, decided: bool) -> list[str]:
    """Why a dispute's outcome and decision date do not go together (one without the other)."""
    if text is None:
        return ["dispute_decided_on is set without a dispute_outcome"] if decided else []
    return [] if decided else ["dispute_outcome is set but dispute_decided_on is not"]


def _outcome(raw: Mapping[str, Any], decided: bool, out: Checked) -> DisputeOutcome | None:
    text = field_text(raw, "dispute_outcome")
    out.reasons += outcome_presence(text, decided)
    if text is None:
        return None
    try:
        return DisputeOutcome(text)
    except ValueError:
        allowed = ", ".join(o.value for o in DisputeOutcome)
        out.reasons.append(f"dispute_outcome {text!r} is not one of: {allowed}")
        return None


def _notice(raw: Mapping[str, Any], notified: date | None, out: Checked) -> NoticeState | None:
    text = field_text(raw, "notice")
    if text is None:
        return None
    try:
        state = NoticeState(text)
    except ValueError:
        allowed = ", ".join(s.value for s in NoticeState)
        out.reasons.append(f"notice {text!r} is not one of: {allowed}")
        return None
    if state in UNSERVED and notified is not None:
        out.reasons.append(
            f"notified_on is set but notice is {text}: an unserved notice has no date"
        )
    elif state not in UNSERVED and notified is None:
        out.reasons.append(f"notice is {text} without notified_on, the date service completed")
    return state


def _amount(raw: Mapping[str, Any], out: Checked) -> Decimal | None:
    text = field_text(raw, "amount")
    if text is None:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        out.reasons.append(f"amount {text!r} is not a number")
        return None
    if not amount.is_finite() or amount < 0:
        out.reasons.append(f"amount {text!r} must be a non-negative number")
    return amount


def _subject(raw: Mapping[str, Any], out: Checked) -> SubjectId | None:
    text = field_text(raw, "subject")
    if text is None:
        out.reasons.append("subject is missing")
        return None
    try:
        sid = parse_subject(text, field_text(raw, "identifier_kind"))
    except IdentifierError as exc:
        out.reasons.append(exc.message)
        return None
    out.warnings.extend(sid.warnings)
    return sid


def _item(raw: Mapping[str, Any], policies: PolicySet, sid: SubjectId | None, out: Checked) -> None:
    code = field_text(raw, "item")
    item = policies.items.get(code or "")
    if item is None:
        out.reasons.append(f"item {code!r} is not in the catalogue" if code else "item is missing")
        return
    if sid is not None and str(sid.kind) not in item.subject_kinds:
        out.reasons.append(f"item {code!r} does not apply to subjects of kind {sid.kind!s}")
    if item.polarity is Polarity.NEGATIVE:
        for key in ("authority", "reference"):
            if field_text(raw, key) is None:
                out.reasons.append(
                    f"a negative record needs its deciding {key} (principle 3: negatives rest "
                    "on a document)"
                )


def validate_record(raw: Mapping[str, Any], policies: PolicySet) -> Checked:
    """Validate one raw record against ``policies``; collect every reason it is refused."""
    out = Checked()
    unknown = sorted(set(raw) - set(INPUT_FIELDS))
    if unknown:
        out.reasons.append(f"unknown field(s): {', '.join(map(str, unknown))}")
    _texts(raw, out)
    record_id = field_text(raw, "id")
    if record_id is None:
        out.reasons.append("id is missing")
    sid = _subject(raw, out)
    _item(raw, policies, sid, out)
    dates = _dates(raw, out)
    _date_order(dates, out)
    outcome = _outcome(raw, dates["dispute_decided_on"] is not None, out)
    notice = _notice(raw, dates["notified_on"], out)
    amount = _amount(raw, out)
    if out.reasons or sid is None or record_id is None or dates["decided_on"] is None:
        return out
    out.record = Record(
        id=record_id,
        subject=sid.value,
        subject_kind=str(sid.kind),
        item=str(field_text(raw, "item")),
        authority=field_text(raw, "authority"),
        reference=field_text(raw, "reference"),
        amount=amount,
        dispute_outcome=outcome,
        decided_on=dates["decided_on"],
        notified_on=dates["notified_on"],
        notice=notice,
        resolved_on=dates["resolved_on"],
        revoked_on=dates["revoked_on"],
        disputed_on=dates["disputed_on"],
        dispute_decided_on=dates["dispute_decided_on"],
    )
    return out
