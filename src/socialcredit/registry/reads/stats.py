"""Statistics for the administrator: how much the registry holds and how due process fares."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import Objection, Principal, RepairApplication
from socialcredit.registry.store.models import AssessmentList, Notice, RecordRow, Subject
from socialcredit.registry.workflows.objections import DECIDED, PENDING
from socialcredit.registry.workflows.repair import GRANTED, REFUSED


def statistics(reg: Registry) -> dict[str, Any]:
    """Counts of subjects, records, list memberships, principals, objections, applications,
    notices and audit entries, and the registry date."""
    with reg.session() as session:
        state = reg.state(session)
        today = state.as_of

        def count(*where: Any, model: Any) -> int:
            query = select(func.count()).select_from(model)
            return int(session.execute(query.where(*where)).scalar_one())

        return {
            "registry_date": today.isoformat(),
            "subjects": count(model=Subject),
            "records": count(model=RecordRow),
            "list_memberships": count(model=AssessmentList),
            "principals": count(Principal.revoked_at.is_(None), model=Principal),
            "objections_pending": count(Objection.status == PENDING, model=Objection),
            "objections_overdue": count(
                Objection.status == PENDING, Objection.deadline <= today, model=Objection
            ),
            "objections_decided": count(Objection.status == DECIDED, model=Objection),
            "repairs_pending": count(RepairApplication.status == PENDING, model=RepairApplication),
            "repairs_granted": count(RepairApplication.status == GRANTED, model=RepairApplication),
            "repairs_refused": count(RepairApplication.status == REFUSED, model=RepairApplication),
            "notices_pending": count(Notice.status.in_(("queued", "sent")), model=Notice),
            "audit_entries": state.audit_seq,
            "audit_head": state.audit_head,
        }
