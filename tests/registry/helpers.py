"""Record builders and database counters for the registry tests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select

from socialcredit.identity import example_credit_code, example_resident_id
from socialcredit.registry import Registry
from socialcredit.registry.models import (
    AssessmentRow,
    AuditEntry,
    Notice,
    RecordEvent,
    RecordRow,
)

P1 = "11010519491231002X"
P2 = "440524188001010014"
O1 = "91350100M000100Y43"
COURT = "The enforcing people's court"


person = example_resident_id
organisation = example_credit_code


def spc(
    record_id: str, subject: str = P1, decided: date = date(2024, 12, 1), **extra: Any
) -> dict[str, Any]:
    """A judgment-defaulter record (negative; the court is the agency)."""
    return {
        "id": record_id,
        "subject": subject,
        "item": "SPC-REFUSE",
        "authority": "Beijing Chaoyang District People's Court",
        "reference": f"(2024) Jing 0105 Zhi {record_id}",
        "decided_on": decided.isoformat(),
        "notified_on": (decided + timedelta(days=1)).isoformat(),
        **extra,
    }


def counts(reg: Registry) -> dict[str, int]:
    with reg.session() as session:
        return {
            table.__tablename__: session.execute(
                select(func.count()).select_from(table)
            ).scalar_one()
            for table in (RecordRow, RecordEvent, AssessmentRow, Notice, AuditEntry)
        }
