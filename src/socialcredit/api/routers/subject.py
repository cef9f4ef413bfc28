"""Subjects: the own file, who read it and why, notices, objections, credit repair and a
portable copy. A subject principal reaches only its own identifier; a reviewer may read a file
(to decide); anyone else is refused, and a refused attempt is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from socialcredit.api.deps import Caller, Page, Reg, caller, page_body
from socialcredit.api.problems import PROBLEMS
from socialcredit.api.schemas import ObjectionIn, RepairIn
from socialcredit.api.views import (
    AccessOut,
    AccessProofOut,
    CopyOut,
    ExportOut,
    NoticeOut,
    ObjectionOut,
    PageOut,
    RepairOut,
    SubjectFileOut,
    file_out,
    notice_out,
    objection_out,
    repair_out,
)
from socialcredit.errors import AccessDeniedError, NotFoundError
from socialcredit.identity import parse_subject
from socialcredit.registry import Registry
from socialcredit.registry.anchorproofs import access_proof
from socialcredit.registry.audit import AuditEvent, append
from socialcredit.registry.reads.copies import file_copy
from socialcredit.registry.reads.ownfile import accesses_page, has_open_case, notices_page
from socialcredit.registry.reads.subjectfile import subject_file
from socialcredit.registry.workflows.objections import QueueQuery, file_objection, objections
from socialcredit.registry.workflows.repair import apply_for_repair, repairs

router = APIRouter(prefix="/v1/subjects/{subject_id}", tags=["subject"], responses=PROBLEMS)
Own = Annotated[Caller, Depends(caller("subject", purpose="the subject's own file"))]
OwnOrReviewer = Annotated[
    Caller, Depends(caller("subject", "reviewer", purpose="read the subject's file"))
]


def own(reg: Registry, who: Caller, subject_id: str) -> str:
    """The subject's canonical identifier; refuse (audited) another subject's file, and a
    reviewer a file with no objection or application awaiting a decision."""
    sid = parse_subject(subject_id).value
    identity = who.need()
    if identity.role == "subject" and identity.subject != sid:
        reason = "a subject reaches only its own file"
    elif identity.role == "reviewer" and not has_open_case(reg, sid):
        reason = "a reviewer reads a file only while an objection or application awaits"
    else:
        return sid
    with reg.session() as session, session.begin():
        append(session, who.actor, [AuditEvent("denied.subject.file", sid, {})])
    raise AccessDeniedError(reason, {})


@router.get("/file")
def read_file(subject_id: str, reg: Reg, who: OwnOrReviewer) -> SubjectFileOut:
    """The whole file: records with status history, scores with contributions, lists,
    decisions and notices (the read is audited and shown to the subject)."""
    return file_out(subject_file(reg, parse_subject(own(reg, who, subject_id)), who.actor))


@router.get("/export")
def export(subject_id: str, reg: Reg, who: Own, response: Response) -> ExportOut:
    """The whole file as a JSON download (portability); at least two free copies a year."""
    found, info = file_copy(reg, own(reg, who, subject_id), who.actor)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="file-{found.subject}-{found.registry_date}.json"'
    )
    copy = CopyOut(year=info.year, number=info.number, free=info.free, free_left=info.free_left)
    return ExportOut(file_copy=copy, file=file_out(found))


@router.get("/accesses")
def read_accesses(subject_id: str, reg: Reg, who: Own, page: Page) -> PageOut[AccessOut]:
    """Every read of your data by anyone, and every refused attempt: when, who, in which role,
    what and why (oldest first)."""
    found = accesses_page(reg, own(reg, who, subject_id), page.limit, page.offset, who.actor)
    items = [
        AccessOut(seq=e.seq, at=e.at, who=e.actor, role=e.role, action=e.action, purpose=e.purpose)
        for e in found.rows
    ]
    return PageOut[AccessOut](**page_body(items, found.total, page))


@router.get("/accesses/{seq}/proof")
def prove_access(subject_id: str, seq: int, request: Request, reg: Reg, who: Own) -> AccessProofOut:
    """Proof that one entry of your access listing is in the audit log as a checkpoint signed
    outside the database saw it (RFC 9162 audit path; verify it against the checkpoint's
    Merkle root with the registry's public key)."""
    store = request.app.state.anchors
    if store is None:
        raise NotFoundError("this registry publishes no signed checkpoints", {})
    proof = access_proof(reg, own(reg, who, subject_id), seq, store, who.actor)
    return AccessProofOut(**proof.as_dict())


@router.get("/notices")
def read_notices(subject_id: str, reg: Reg, who: Own, page: Page) -> PageOut[NoticeOut]:
    """The notices sent (or pending) to you, oldest first."""
    found = notices_page(reg, own(reg, who, subject_id), page.limit, page.offset, who.actor)
    items = [notice_out(n) for n in found.rows]
    return PageOut[NoticeOut](**page_body(items, found.total, page))


@router.post("/objections", status_code=201)
def object_to(subject_id: str, body: ObjectionIn, reg: Reg, who: Own) -> ObjectionOut:
    """Object to one of your records: disputed at once, decided by the deadline."""
    sid = own(reg, who, subject_id)
    found = file_objection(reg, sid, body.record, body.grounds, who.actor)
    return objection_out(found, found.filed_on)


@router.get("/objections")
def own_objections(subject_id: str, reg: Reg, who: Own, page: Page) -> PageOut[ObjectionOut]:
    """Your objections and their outcomes."""
    sid = own(reg, who, subject_id)
    found = objections(reg, QueueQuery(page.limit, page.offset, subject=sid))
    today = reg.today()
    items = [objection_out(o, today) for o in found.rows]
    return PageOut[ObjectionOut](**page_body(items, found.total, page))


@router.post("/repairs", status_code=201)
def apply_repair(subject_id: str, body: RepairIn, reg: Reg, who: Own) -> RepairOut:
    """Apply for credit repair on a list you are on today."""
    sid = own(reg, who, subject_id)
    performed = (body.obligation_performed, body.commitment)
    found = apply_for_repair(reg, sid, body.list, body.statement, performed, who.actor)
    return repair_out(found, found.filed_on)


@router.get("/repairs")
def own_repairs(subject_id: str, reg: Reg, who: Own, page: Page) -> PageOut[RepairOut]:
    """Your credit repair applications and their decisions."""
    sid = own(reg, who, subject_id)
    found = repairs(reg, QueueQuery(page.limit, page.offset, subject=sid))
    today = reg.today()
    items = [repair_out(r, today) for r in found.rows]
    return PageOut[RepairOut](**page_body(items, found.total, page))
