"""What retention erases besides the records themselves (principle 6: after retention,
personal data is deleted everywhere it was copied).

For the records retention deletes: their objections (grounds, reviewers' reasons), the repair
applications none of whose records remain (statements, reasons), the evidence attached to
either, and the notices about them
(content and addressee blanked; one still waiting in the outbox is withdrawn, never sent).
For a subject left without records: every copy of its file handed out, every remaining
objection and application and their attachments, its notices, the API principals bound to it,
the counts of its public showings and its changes in the service providers' feeds
(``feederasure.py``). Each erasure is counted for the audit entry; nothing erased is written
anywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import ColumnElement, case, delete, select, update
from sqlalchemy.orm import Session

from socialcredit.registry.store.casework import (
    Attachment,
    FileCopy,
    Objection,
    Principal,
    RepairApplication,
)
from socialcredit.registry.store.models import Notice, PublicListRead, RecordRow
from socialcredit.registry.store.quarantine import QuarantineLine
from socialcredit.registry.writes.feederasure import erase_feeds
from socialcredit.registry.writes.notices import QUEUED

WITHDRAWN = "withdrawn"
"""The status of a notice whose content retention erased before it was sent."""


def blank_notices(session: Session, which: ColumnElement[bool]) -> int:
    """The notices ``which`` lose their content and addressee (their row stays); queued ones
    are withdrawn so that no sender delivers an empty notice."""
    status = case((Notice.status == QUEUED, WITHDRAWN), else_=Notice.status)
    result = session.execute(
        update(Notice).where(which).values(body=None, subject_id=None, status=status)
    )
    return _rows(result)


def erase_record_casework(session: Session, record_ids: Sequence[int]) -> Counter[str]:
    """Before ``record_ids`` are deleted: their objections (and the notices about them)."""
    erased: Counter[str] = Counter()
    ids = select(Objection.id).where(Objection.record_id.in_(record_ids))
    erased["attachments"] += _erase_attachments(session, "objection", list(session.scalars(ids)))
    found = session.execute(delete(Objection).where(Objection.record_id.in_(record_ids)))
    erased["objections"] += _rows(found)
    erased["notices"] += blank_notices(session, Notice.record_id.in_(record_ids))
    return erased


def erase_orphan_repairs(session: Session, subjects: Sequence[str]) -> Counter[str]:
    """After records were deleted: the subjects' repair applications none of whose records
    remain."""
    applications = list(
        session.execute(
            select(RepairApplication).where(RepairApplication.subject_id.in_(subjects))
        ).scalars()
    )
    keys = {int(str(key)[1:]) for a in applications for key in a.records}
    kept = set(session.execute(select(RecordRow.id).where(RecordRow.id.in_(keys))).scalars())
    orphans = [a.id for a in applications if not {int(str(k)[1:]) for k in a.records} & kept]
    if orphans:
        session.execute(delete(RepairApplication).where(RepairApplication.id.in_(orphans)))
    attached = _erase_attachments(session, "repair", orphans)
    return Counter({"repair_applications": len(orphans), "attachments": attached})


def _erase_attachments(session: Session, kind: str, case_ids: Sequence[int]) -> int:
    """The evidence attached to the cases ``case_ids`` of ``kind``."""
    if not case_ids:
        return 0
    which = (Attachment.case_kind == kind) & Attachment.case_id.in_(case_ids)
    return _rows(session.execute(delete(Attachment).where(which)))


def erase_subjects(session: Session, subjects: Sequence[str]) -> Counter[str]:
    """Everything left about ``subjects`` outside their (already deleted) records."""
    erased: Counter[str] = Counter()
    for name, model in (
        ("objections", Objection),
        ("repair_applications", RepairApplication),
        ("attachments", Attachment),
        ("file_copies", FileCopy),
        ("principals", Principal),
        ("public_list_reads", PublicListRead),
        ("quarantine", QuarantineLine),
    ):
        column = model.subject_id
        found = session.execute(delete(model).where(column.in_(subjects)))
        erased[name] += _rows(found)
    erased["notices"] += blank_notices(session, Notice.subject_id.in_(subjects))
    erased += erase_feeds(session, subjects)
    return erased


def _rows(result: object) -> int:
    """How many rows a bulk UPDATE or DELETE touched (its cursor's row count)."""
    return int(getattr(result, "rowcount", 0) or 0)
