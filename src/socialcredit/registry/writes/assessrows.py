"""The rows of a stored assessment, and the engine's view of stored records.

An assessment is stored as its JSON body (each decision other than ``allow`` held once, in its
``assessment_decisions`` row: :func:`stored_body`, :func:`full_body`), a row per score model and
per list, and the time-driven status events that have happened (:func:`time_events`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

import orjson
from sqlalchemy import Row

from socialcredit.engine import (
    RECORD_FIELDS,
    Assessment,
    DisputeOutcome,
    NoticeState,
    Record,
    RepairCase,
)
from socialcredit.engine.timeline import suspension
from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.store.copytext import to_json
from socialcredit.registry.store.models import RecordRow, record_key

TIME_EVENTS = ("effective", "suspended", "expired")
# The record row's columns the engine reads: its fields, keyed by the row id and subject_id.
ENGINE_COLUMNS = (
    "id",
    "subject_id",
    *(f for f in RECORD_FIELDS if f not in ("id", "subject")),
    "repairs",
)


def repair_cases(stored: list[Any] | None) -> tuple[RepairCase, ...]:
    """The engine's view of a record's ``repairs`` column (``workflows.repaircases``)."""
    return tuple(
        RepairCase(
            date.fromisoformat(case["filed_on"]),
            date.fromisoformat(case["deadline"]),
            _date(case.get("decided_on")),
        )
        for case in stored or ()
    )


def to_record(row: RecordRow | Row[Any], kind: str) -> Record:
    """The engine's view of a stored record; its id is the registry key ``r<id>``."""
    return Record(
        id=record_key(row.id),
        subject=row.subject_id,
        subject_kind=kind,
        item=row.item,
        decided_on=row.decided_on,
        authority=row.authority,
        reference=row.reference,
        notified_on=row.notified_on,
        notice=None if row.notice is None else NoticeState(row.notice),
        amount=None if row.amount is None else Decimal(row.amount),
        resolved_on=row.resolved_on,
        revoked_on=row.revoked_on,
        disputed_on=row.disputed_on,
        dispute_decided_on=row.dispute_decided_on,
        dispute_outcome=None
        if row.dispute_outcome is None
        else DisputeOutcome(row.dispute_outcome),
        repairs=repair_cases(row.repairs),
    )


@dataclass
class AssessmentRows:
    """Rows to insert for a set of reassessed subjects."""

    assessments: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    lists: list[dict[str, Any]] = field(default_factory=list)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    notices: list[dict[str, Any]] = field(default_factory=list)
    feed: list[dict[str, Any]] = field(default_factory=list)  # writes.feedlog's rows
    changed_lists: int = 0
    stale: list[tuple[str, str]] = field(default_factory=list)  # kept decisions to delete


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def stored_body(body: Mapping[str, Any]) -> dict[str, Any]:
    """The form of an assessment's JSON kept in ``assessments.body``: every decision other than
    ``allow`` is ``null``, its place held in the service order; the decision itself is the
    subject's ``assessment_decisions`` row (stored once, not twice)."""
    decisions = body["decisions"]
    kept = {s: (d if d["effect"] == "allow" else None) for s, d in decisions.items()}
    return {**body, "decisions": kept}


def full_body(stored: Mapping[str, Any], decisions: Mapping[str, Any]) -> dict[str, Any]:
    """The assessment's JSON from its stored form and the subject's decision rows (by
    service): the inverse of :func:`stored_body`. A body stored whole (before migration 0004)
    comes back as it is."""
    found = stored["decisions"]
    if all(d is not None for d in found.values()):
        return dict(stored)
    return {**stored, "decisions": {s: decisions[s] if d is None else d for s, d in found.items()}}


def add_assessment(
    batch: AssessmentRows,
    active: ActivePolicies,
    found: Assessment,
    next_on: date | None,
    kept: dict[str, str] | None,
) -> dict[str, Any]:
    """Add the rows of one assessment to ``batch``; return its JSON form. ``kept``: the
    digests of the subject's decision rows that were not deleted (by service)."""
    body = found.to_dict()
    sid = found.subject
    batch.assessments.append(
        {
            "subject_id": sid,
            "as_of": found.as_of,
            "next_change_on": next_on,
            "policy_versions": active.hashes_list,
            "body": stored_body(body),
        }
    )
    batch.scores += [
        {
            "subject_id": sid,
            "model": model,
            "policy_id": active.model_policy.get(model, ""),
            "value": s["value"],
            "grade": s["grade"],
        }
        for model, s in body["scores"].items()
    ]
    batch.lists += [
        {
            "subject_id": sid,
            "list_id": m["list"],
            "policy_id": active.list_policy.get(m["list"], ""),
            "kind": m["kind"],
            "since": _date(m["since"]),
            "until": _date(m["until"]),
        }
        for m in body["lists"]
    ]
    add_decisions(batch, sid, body["decisions"], kept)
    return body


def add_decisions(
    batch: AssessmentRows, sid: str, decisions: Mapping[str, Any], kept: dict[str, str] | None
) -> None:
    """The subject's decision rows to insert, and (``kept``: the digests of the rows still
    stored, by service) the stored ones to delete first: a stored row whose JSON text is the
    new decision's stays as it is, neither deleted nor written again."""
    if kept is None:
        batch.decisions += [
            {"subject_id": sid, "service": service, "effect": d["effect"], "decision": d}
            for service, d in decisions.items()
            if d["effect"] != "allow"
        ]
        return
    for service, d in decisions.items():
        if d["effect"] == "allow":
            continue
        found = to_json(d)
        if kept.get(service) == hashlib.sha256(found.encode()).hexdigest():
            del kept[service]  # stored as it is
            continue
        decision = orjson.Fragment(found)  # written as this text (its digest next time)
        batch.decisions.append(
            {"subject_id": sid, "service": service, "effect": d["effect"], "decision": decision}
        )
    batch.stale += [(sid, service) for service in kept]


def time_events(
    found: Assessment, records: Sequence[Record], policies: ActivePolicies, day: date
) -> list[tuple[str, str, date]]:
    """The time-driven events (record key, kind, date) that have happened by ``day``.

    Effective and expired come from the assessment's record states; a suspension from the
    engine's own rule (:func:`socialcredit.engine.timeline.suspension`) on the full record.
    """
    by_key = {r.id: r for r in records}
    found_events = []
    for state in found.records:
        effective, until = state.effective_from, state.counts_until
        if effective < until and effective <= day:
            found_events.append((state.record, "effective", effective))
        if state.status == "expired":
            found_events.append((state.record, "expired", until))
        record = by_key.get(state.record)
        if record is None or (record.disputed_on is None and not record.repairs):
            continue
        pset = policies.policy_set
        suspended = suspension(
            record, pset.review_days(record.item), pset.review_working(record.item)
        )
        if suspended and suspended.parts[0].start <= day:
            found_events.append((state.record, "suspended", suspended.parts[0].start))
    return found_events
