"""The repair applications a record carries (``records.repairs``), as the engine reads them.

An application not decided by its deadline has the consequence of an overdue objection: each
record it covers (the records keeping the subject on the list when it was filed) is suspended
from the deadline until the decision (``engine.timeline.suspension``), so the listing it
applies about, and the records' weight in every score, are suspended too. The registry keeps
each application on its records (filed, deadline, decided) and reassesses the subject when one
is filed or decided; ``registry tick`` reassesses it on the deadline (a change date).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from socialcredit.registry.policystore import ActivePolicies
from socialcredit.registry.store.casework import RepairApplication
from socialcredit.registry.store.models import RecordRow
from socialcredit.registry.writes.reassess import Scope, reassess


def _covered(session: Session, found: RepairApplication) -> Iterator[RecordRow]:
    for key in found.records:
        row = session.get(RecordRow, int(str(key)[1:]))
        if row is not None:
            yield row


def note_filed(session: Session, found: RepairApplication) -> None:
    """Keep the application on each record it covers (a new list: JSON is not tracked)."""
    case = {
        "application": found.id,
        "filed_on": found.filed_on.isoformat(),
        "deadline": found.deadline.isoformat(),
        "decided_on": None,
    }
    for row in _covered(session, found):
        row.repairs = [*(row.repairs or []), case]


def note_decided(session: Session, found: RepairApplication, day: date) -> None:
    """Date the application's decision on each record it covers: a suspension ends."""
    for row in _covered(session, found):
        row.repairs = [_decided(case, found.id, day) for case in row.repairs or []]


def _decided(case: dict[str, Any], application: int, day: date) -> dict[str, Any]:
    return case | {"decided_on": day.isoformat()} if case["application"] == application else case


def reassess_subject(
    session: Session, active: ActivePolicies, found: RepairApplication, day: date, actor: str
) -> None:
    """Reassess the applicant on ``day`` after its repair casework changed."""
    session.flush()
    reassess(session, active, Scope([found.subject_id], day, actor))
