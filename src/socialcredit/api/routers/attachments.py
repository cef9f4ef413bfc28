"""Evidence attachments of objections and repair applications: the subject uploads them to its
own pending case and reads them back; the reviewers of the case's authority read them
(``registry.workflows.attachments``)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Response, UploadFile
from pydantic import BaseModel

from socialcredit.api.deps import Caller, Reg, RowId, caller
from socialcredit.api.problems import PROBLEMS, Problem
from socialcredit.api.routers.subject import own
from socialcredit.registry.store.casework import Attachment
from socialcredit.registry.workflows.attachments import (
    NewAttachment,
    Reader,
    add_attachment,
    attachment,
    case_attachments,
    subject_attachments,
)

UPLOAD_PROBLEMS: dict[int | str, dict[str, object]] = PROBLEMS | {
    413: {"description": "The file is larger than attachment_max_bytes.", "model": Problem},
    415: {"description": "The file is not a PDF, PNG or JPEG.", "model": Problem},
}
router = APIRouter(prefix="/v1", tags=["attachments"], responses=UPLOAD_PROBLEMS)
Own = Annotated[Caller, Depends(caller("subject", purpose="the subject's own evidence"))]
Reviewer = Annotated[Caller, Depends(caller("reviewer", purpose="due-process review"))]
Upload = Annotated[UploadFile, File(description="A PDF, PNG or JPEG file.")]


class AttachmentOut(BaseModel):
    id: int
    case: str
    case_id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    added_on: date


def attachment_out(row: Attachment) -> AttachmentOut:
    return AttachmentOut(
        id=row.id,
        case=row.case_kind,
        case_id=row.case_id,
        filename=row.filename,
        media_type=row.media_type,
        size=row.size,
        sha256=row.sha256,
        added_on=row.added_on,
    )


def _upload(
    reg: Reg, who: Caller, subject_id: str, kind: str, case_id: int, file: UploadFile
) -> AttachmentOut:
    sid = own(reg, who, subject_id)
    content = file.file.read(reg.settings.attachment_max_bytes + 1)  # one byte more: too large
    found = NewAttachment(sid, kind, case_id, file.filename or "", content)
    return attachment_out(add_attachment(reg, found, who.actor))


def _content(row: Attachment) -> Response:
    headers = {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.filename)}",
        "X-Content-SHA256": row.sha256,
    }
    return Response(row.content, media_type=row.media_type, headers=headers)


@router.post("/subjects/{subject_id}/objections/{objection_id}/attachments", status_code=201)
def attach_to_objection(
    subject_id: str, objection_id: RowId, file: Upload, reg: Reg, who: Own
) -> AttachmentOut:
    """Attach evidence to your pending objection (PDF, PNG or JPEG, at most
    ``attachment_max_bytes``)."""
    return _upload(reg, who, subject_id, "objection", objection_id, file)


@router.post("/subjects/{subject_id}/repairs/{application_id}/attachments", status_code=201)
def attach_to_repair(
    subject_id: str, application_id: RowId, file: Upload, reg: Reg, who: Own
) -> AttachmentOut:
    """Attach evidence to your pending credit repair application."""
    return _upload(reg, who, subject_id, "repair", application_id, file)


@router.get("/subjects/{subject_id}/attachments")
def own_attachments(subject_id: str, reg: Reg, who: Own) -> list[AttachmentOut]:
    """The evidence you attached to your cases, oldest first."""
    return [attachment_out(r) for r in subject_attachments(reg, own(reg, who, subject_id))]


@router.get("/subjects/{subject_id}/attachments/{attachment_id}")
def own_attachment(subject_id: str, attachment_id: RowId, reg: Reg, who: Own) -> Response:
    """One of your attachments, as you uploaded it."""
    sid = own(reg, who, subject_id)
    return _content(attachment(reg, attachment_id, Reader(who.actor, subject=sid)))


def _reader(who: Caller) -> Reader:
    return Reader(who.actor, authority=who.need().authority)


@router.get("/review/objections/{objection_id}/attachments")
def objection_attachments(objection_id: RowId, reg: Reg, who: Reviewer) -> list[AttachmentOut]:
    """The evidence of an objection of your authority (each read is shown to the subject)."""
    rows = case_attachments(reg, "objection", objection_id, _reader(who))
    return [attachment_out(r) for r in rows]


@router.get("/review/repairs/{application_id}/attachments")
def repair_attachments(application_id: RowId, reg: Reg, who: Reviewer) -> list[AttachmentOut]:
    """The evidence of a repair application of your authority."""
    rows = case_attachments(reg, "repair", application_id, _reader(who))
    return [attachment_out(r) for r in rows]


@router.get("/review/attachments/{attachment_id}")
def review_attachment(attachment_id: RowId, reg: Reg, who: Reviewer) -> Response:
    """One attachment of a case of your authority, with its content."""
    return _content(attachment(reg, attachment_id, _reader(who)))
