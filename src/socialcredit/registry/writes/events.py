"""Record status events: the append-only history behind every date on a record row.

Kinds: registered, notice queued, notice served, notice failed, substitute service, effective,
disputed, suspended, dispute decided, resolved, revoked, corrected, expired. ``on`` is the date
the status applies from; ``at`` when it was written.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from socialcredit.registry.store.models import RecordEvent

EVENT_KINDS = (
    "registered",
    "notice queued",
    "notice served",
    "notice failed",
    "substitute service",
    "effective",
    "disputed",
    "suspended",
    "dispute decided",
    "resolved",
    "revoked",
    "corrected",
    "expired",
)


def event_values(
    record_id: int, kind: str, on: date, at: datetime, actor: str, details: dict[str, Any]
) -> dict[str, Any]:
    """The column values of a status event (for Core inserts)."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    return {"record_id": record_id, "kind": kind, "on": on, "at": at, "actor": actor} | {
        "details": details
    }


def event_row(
    record_id: int, kind: str, on: date, at: datetime, actor: str, details: dict[str, Any]
) -> RecordEvent:
    return RecordEvent(**event_values(record_id, kind, on, at, actor, details))


def decision_events(outcome: str, on: date) -> Iterator[tuple[str, date, dict[str, Any]]]:
    yield "dispute decided", on, {"outcome": outcome}
    if outcome == "corrected":
        yield "corrected", on, {}
    elif outcome == "revoked":
        yield "revoked", on, {"by": "dispute decision"}


def submitted_events(
    row: Mapping[str, Any], today: date, negative: bool
) -> Iterator[tuple[str, date, dict[str, Any]]]:
    """The events of a newly registered record (its column values), including facts it
    arrived with."""
    yield "registered", today, {"agency": row["agency"], "source_id": row["source_id"]}
    if negative and row["notified_on"] is not None:
        yield "notice served", row["notified_on"], {"by": "agency"}
    elif negative:
        yield "notice queued", today, {}
    if row["disputed_on"] is not None:
        yield "disputed", row["disputed_on"], {}
    if row["dispute_decided_on"] is not None and row["dispute_outcome"] is not None:
        yield from decision_events(row["dispute_outcome"], row["dispute_decided_on"])
    if row["resolved_on"] is not None:
        yield "resolved", row["resolved_on"], {}
    if row["revoked_on"] is not None:
        yield "revoked", row["revoked_on"], {}


def history(session: Session, record_ids: list[int]) -> dict[int, list[RecordEvent]]:
    """Events of the records, oldest first (by date, then by write order)."""
    found: dict[int, list[RecordEvent]] = {i: [] for i in record_ids}
    query = (
        select(RecordEvent)
        .where(RecordEvent.record_id.in_(record_ids))
        .order_by(RecordEvent.on, RecordEvent.id)
    )
    for event in session.execute(query).scalars():
        found[event.record_id].append(event)
    return found
