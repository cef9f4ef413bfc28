"""Where a submission's refused lines go: the quarantine, in the chunk's own transaction.

The reader shows each line to the sink (:meth:`Quarantine.keep`) as the submission reads it;
once a chunk's outcomes are known its refused lines are written with their raw text and
reasons, and the texts of the chunk are let go, so memory holds one chunk's lines at most.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from socialcredit.errors import IdentifierError
from socialcredit.identity import parse_subject
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.store.quarantine import QuarantineLine
from socialcredit.registry.writes.intake import LineOutcome

QUARANTINE_DAYS = 180
"""How long a quarantined line is kept, from the registry's date when it was refused."""
OPEN, RESOLVED = "open", "resolved"
RAW_LIMIT = 20_000
"""The longest raw text kept for a line, in characters (longer lines are cut, and say so)."""


def storable(text: str, limit: int) -> str:
    """Text as a database stores it: cut at ``limit``, NUL shown as U+FFFD."""
    return text[:limit].replace("\x00", "\ufffd")


def subject_of(raw: Mapping[str, Any] | str | None) -> str | None:
    """The canonical subject a line names, if it names a readable one (for erasure): a
    record's subject, or a link's person."""
    if not isinstance(raw, Mapping):
        return None
    try:
        return parse_subject(str(raw.get("subject") or raw.get("person") or "")).value
    except IdentifierError:
        return None


def text_of(raw: Mapping[str, Any] | str) -> str:
    """A raw line's text when the reader has no other: its fields as one JSON object."""
    return json.dumps(raw, ensure_ascii=False, default=str) if isinstance(raw, Mapping) else raw


@dataclass
class Quarantine:
    """The quarantine of one submission: whose, which file, and the lines not yet settled."""

    agency: str
    source: str
    submission: str = field(default_factory=lambda: str(uuid.uuid4()))
    pending: dict[int, tuple[str, str | None, str | None]] = field(default_factory=dict)
    ids: list[int] = field(default_factory=list)

    def keep(self, line: int, text: str, raw: Mapping[str, Any] | str | None) -> None:
        """Remember a line as read: its text (cut at ``RAW_LIMIT``; NUL, which no database
        text column stores, shown as U+FFFD), the subject and the record id it names."""
        record = raw.get("id") if isinstance(raw, Mapping) else None
        shown = None if record is None else storable(str(record), 200)
        self.pending[line] = (storable(text, RAW_LIMIT), subject_of(raw), shown)

    def write(
        self, session: Session, outcomes: Sequence[LineOutcome], today: date, actor: Actor
    ) -> None:
        """Quarantine the refused ``outcomes`` (audited: their raw text is personal data)."""
        now = datetime.now(UTC)
        rows = [self._row(o, today, now) for o in outcomes if o.status == "refused"]
        if not rows:
            return
        session.add_all(rows)
        session.flush()
        self.ids += [r.id for r in rows]
        events = [
            AuditEvent(
                "write.quarantine.line",
                r.subject_id,
                {"quarantine": r.id, "agency": self.agency, "submission": self.submission},
            )
            for r in rows
        ]
        append(session, actor, events)

    def _row(self, outcome: LineOutcome, today: date, now: datetime) -> QuarantineLine:
        text, subject, record = self.pending.get(outcome.line, ("", None, None))
        return QuarantineLine(
            agency=self.agency,
            submission=self.submission,
            source=storable(self.source, 300),
            line=outcome.line,
            record_id=record if outcome.record_id is None else storable(outcome.record_id, 200),
            subject_id=subject,
            raw=text,
            reasons=[storable(r, RAW_LIMIT) for r in outcome.reasons],
            status=OPEN,
            created_at=now,
            retain_until=today + timedelta(days=QUARANTINE_DAYS),
        )

    def release(self, lines: Sequence[int]) -> None:
        for line in lines:
            self.pending.pop(line, None)
