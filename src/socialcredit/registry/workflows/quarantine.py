"""An agency's quarantine: the lines of its submissions the registry refused, listed (audited)
and resubmitted after correction.

An agency sees and resubmits only its own lines. A resubmission names the quarantined lines
it corrects, one corrected record each, and goes through the ordinary submission path: a line
whose correction is stored (or was already stored: ``unchanged``) is resolved, and its raw
text blanked; a line whose correction is refused again stays open with the new reasons and the
corrected text. The records are committed first and the lines resolved after, so a run killed
in between leaves a line open whose correction is stored: resubmitting it again is
``unchanged`` and resolves it.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, select

from socialcredit.errors import LifecycleError, NotFoundError
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.quarantine import QuarantineLine
from socialcredit.registry.workflows.objections import Page, page_of
from socialcredit.registry.writes.intake import LineOutcome, RawLine
from socialcredit.registry.writes.linksubmit import submit_link_lines
from socialcredit.registry.writes.quarantine_sink import (
    OPEN,
    RAW_LIMIT,
    RESOLVED,
    storable,
    subject_of,
    text_of,
)
from socialcredit.registry.writes.submit import Submission, submit_lines


def quarantine_query(agency: str, status: str | None) -> Select[Any]:
    query = select(QuarantineLine).where(QuarantineLine.agency == agency)
    if status is not None:
        query = query.where(QuarantineLine.status == status)
    return query.order_by(QuarantineLine.id)


def quarantine_page(
    reg: Registry, agency: str, status: str | None, window: tuple[int, int], actor: Actor
) -> Page:
    """A page (``window``: limit, offset) of the agency's quarantined lines, oldest first; each
    line shown is audited under its subject (its raw text is personal data)."""
    limit, offset = window
    with reg.session() as session, session.begin():
        found = page_of(session, quarantine_query(agency, status), limit, offset)
        events = [
            AuditEvent("read.quarantine.agency", q.subject_id, {"quarantine": q.id})
            for q in found.rows
        ]
        append(session, actor, events)
        session.expunge_all()
        return found


@dataclass(frozen=True)
class Resubmitted:
    """A quarantined line after its resubmission: the submission's outcome for it."""

    entry: int
    outcome: LineOutcome


def _entries(reg: Registry, agency: str, ids: Sequence[int]) -> None:
    """Refuse, before anything is submitted, ids that are not open lines of ``agency``."""
    with reg.session() as session:
        rows = session.execute(
            select(QuarantineLine.id, QuarantineLine.status).where(
                QuarantineLine.id.in_(ids), QuarantineLine.agency == agency
            )
        ).all()
    status = {row.id: row.status for row in rows}
    missing = sorted(set(ids) - set(status))
    if missing:
        raise NotFoundError(
            f"agency {agency!r} has no quarantined line {missing[0]}",
            {"agency": agency, "quarantine": missing},
        )
    closed = sorted(i for i, s in status.items() if s != OPEN)
    if closed:
        raise LifecycleError(
            f"quarantined line {closed[0]} is already resolved", {"quarantine": closed}
        )
    if len(set(ids)) != len(ids):
        raise LifecycleError("a quarantined line is named twice", {"quarantine": list(ids)})


def is_link(raw: RawLine) -> bool:
    """Whether a corrected row is a link (it names an organisation and a person, no subject)."""
    if not isinstance(raw, Mapping):
        return False
    return {"organisation", "person"} <= raw.keys() and "subject" not in raw


def _submitted(
    reg: Registry, corrections: Sequence[tuple[int, RawLine]], sub: Submission
) -> dict[int, LineOutcome]:
    """The outcome of each correction, by its line id: records and links each by their path."""
    outcomes: dict[int, LineOutcome] = {}
    for links, submit in ((False, submit_lines), (True, submit_link_lines)):
        lines = [(entry, raw) for entry, raw in corrections if is_link(raw) is links]
        if lines:
            outcomes |= {o.line: o for o in submit(reg, lines, sub).outcomes}
    return outcomes


def resubmit(
    reg: Registry, agency: str, corrections: Sequence[tuple[int, RawLine]], actor: Actor
) -> list[Resubmitted]:
    """Submit one corrected record (or link) per quarantined line (``(line id, row)``)."""
    _entries(reg, agency, [entry for entry, _ in corrections])
    outcomes = _submitted(reg, corrections, Submission(agency, actor))
    done = [Resubmitted(entry, outcomes[entry]) for entry, _ in corrections]
    raws = dict(corrections)
    submission, now = str(uuid.uuid4()), datetime.now(UTC)
    with reg.session() as session, session.begin():
        rows = session.execute(
            select(QuarantineLine).where(QuarantineLine.id.in_(list(raws)))
        ).scalars()
        events = []
        for row in rows:
            outcome = outcomes[row.id]
            if outcome.status == "refused":
                row.reasons = [storable(r, RAW_LIMIT) for r in outcome.reasons]
                row.raw = storable(text_of(raws[row.id]), RAW_LIMIT)
                row.subject_id = row.subject_id or subject_of(raws[row.id])
            else:
                row.status, row.raw, row.resolved_at, row.resolved_by = (
                    RESOLVED,
                    None,
                    now,
                    submission,
                )
            details = {"quarantine": row.id, "outcome": outcome.status}
            events.append(AuditEvent("write.quarantine.resubmit", row.subject_id, details))
        append(session, actor, events)
    return done
