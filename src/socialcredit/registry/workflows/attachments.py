"""Evidence attachments of objections and repair applications (principles 8 and 9).

A subject attaches files to its own pending case: a PDF, PNG or JPEG, recognised from its first
bytes (the file name's extension must say the same type), of at most the registry's
``attachment_max_bytes``, and at most :data:`MAX_PER_CASE` per case. The registry keeps the
content with its SHA-256, size and type. The subject and the reviewers of the case's authority
read them (each reviewer read is in the subject's access listing); retention and erasure delete
them with the subject. A refused attachment stores nothing; the refusal is audited under the
subject whose case it named.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePosixPath
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from socialcredit.engine.hygiene import SINGLE_LINE
from socialcredit.errors import (
    AlreadyDecidedError,
    AttachmentTooLargeError,
    AttachmentTypeError,
    NotFoundError,
    RequestInvalidError,
    SocialCreditError,
)
from socialcredit.identity import parse_subject
from socialcredit.registry.audit import Actor, AuditEvent, append
from socialcredit.registry.context import Registry
from socialcredit.registry.store.casework import Attachment, Objection, RepairApplication
from socialcredit.registry.workflows.routing import ensure_routed

MAX_PER_CASE = 10
CASES: dict[str, type[Any]] = {"objection": Objection, "repair": RepairApplication}
_MAGIC = (  # (first bytes, media type, extensions)
    (b"%PDF-", "application/pdf", (".pdf",)),
    (b"\x89PNG\r\n\x1a\n", "image/png", (".png",)),
    (b"\xff\xd8\xff", "image/jpeg", (".jpg", ".jpeg")),
)


@dataclass(frozen=True)
class NewAttachment:
    """A file a subject attaches to its case ``case_kind`` (objection or repair) ``case_id``."""

    subject: str
    case_kind: str
    case_id: int
    filename: str
    content: bytes


def sniff(filename: str, content: bytes) -> str:
    """The media type of ``content`` from its first bytes; refuse any other type, and a file
    name whose extension says another type."""
    suffix = PurePosixPath(filename).suffix.lower()
    for magic, media_type, suffixes in _MAGIC:
        if content.startswith(magic):
            if suffix not in suffixes:
                raise AttachmentTypeError(
                    f"{filename!r} is a {media_type} file; its name must end in "
                    f"{' or '.join(suffixes)}",
                    {"filename": filename, "media_type": media_type},
                )
            return media_type
    raise AttachmentTypeError(
        f"{filename!r} is not a PDF, PNG or JPEG file (read from its first bytes)",
        {"filename": filename, "accepted": [m for _, m, _ in _MAGIC]},
    )


def _check(found: NewAttachment, max_bytes: int) -> str:
    name = PurePosixPath(found.filename.replace("\\", "/")).name
    if not name or len(name) > 200 or SINGLE_LINE.search(name):
        raise RequestInvalidError(
            "an attachment needs a file name of 1 to 200 characters, without control characters",
            {},
        )
    if found.case_kind not in CASES:
        raise RequestInvalidError(f"no kind of case {found.case_kind!r}", {"case": found.case_kind})
    size = len(found.content)
    if size > max_bytes:
        raise AttachmentTooLargeError(
            f"{name!r} has {size} bytes; an attachment has at most {max_bytes}",
            {"size": size, "max_bytes": max_bytes},
        )
    if size == 0:
        raise RequestInvalidError(f"{name!r} is empty", {"filename": name})
    return sniff(name, found.content)


def _case(session: Session, found: NewAttachment, sid: str) -> Any:
    """The subject's own pending case; another subject's is as good as absent (404)."""
    case = session.get(CASES[found.case_kind], found.case_id)
    if case is None or case.subject_id != sid:
        raise NotFoundError(
            f"you have no {found.case_kind} {found.case_id}",
            {"case": found.case_kind, "id": found.case_id},
        )
    if case.status != "pending":
        raise AlreadyDecidedError(
            f"{found.case_kind} {found.case_id} was decided on {case.decided_on}: "
            "evidence is attached while it awaits a decision",
            {"case": found.case_kind, "id": found.case_id},
        )
    count = select(func.count()).where(
        Attachment.case_kind == found.case_kind, Attachment.case_id == found.case_id
    )
    if session.execute(count).scalar_one() >= MAX_PER_CASE:
        raise RequestInvalidError(
            f"{found.case_kind} {found.case_id} has {MAX_PER_CASE} attachments, the most a case "
            "may have",
            {"case": found.case_kind, "id": found.case_id},
        )
    return case


def _refused(reg: Registry, found: NewAttachment, actor: Actor, error: SocialCreditError) -> None:
    """Audit a refused attachment under the subject of the case it named (if any)."""
    with reg.session() as session, session.begin():
        model = CASES.get(found.case_kind)
        case = None if model is None else session.get(model, found.case_id)
        subject = found.subject if case is None else case.subject_id
        details = {"case": found.case_kind, "id": found.case_id, "code": error.code}
        append(session, actor, [AuditEvent("refuse.attachment", subject, details)])


def add_attachment(reg: Registry, found: NewAttachment, actor: Actor) -> Attachment:
    """Store ``found`` on the subject's own pending case, or refuse it storing nothing."""
    sid = parse_subject(found.subject).value
    try:
        media_type = _check(found, reg.settings.attachment_max_bytes)
        with reg.session() as session, session.begin():
            today = reg.state(session).as_of
            _case(session, found, sid)
            row = Attachment(
                case_kind=found.case_kind,
                case_id=found.case_id,
                subject_id=sid,
                filename=PurePosixPath(found.filename.replace("\\", "/")).name,
                media_type=media_type,
                size=len(found.content),
                sha256=hashlib.sha256(found.content).hexdigest(),
                content=found.content,
                added_on=today,
                added_at=datetime.now(UTC),
                added_by=actor.name,
            )
            session.add(row)
            session.flush()
            details = {"case": found.case_kind, "id": found.case_id, "attachment": row.id}
            append(session, actor, [AuditEvent("write.attachment.add", sid, details)])
            return row
    except SocialCreditError as error:
        _refused(reg, found, actor, error)
        raise


@dataclass(frozen=True)
class Reader:
    """Who reads attachments: the subject itself (``subject``), or a reviewer (``authority``:
    its authority; None for the registry's operator)."""

    actor: Actor
    subject: str | None = None
    authority: str | None = None


def _audited(reg: Registry, rows: list[Attachment], reader: Reader) -> list[Attachment]:
    if reader.subject is None and rows:  # a reviewer's read is shown to the subject
        with reg.session() as session, session.begin():
            events = [
                AuditEvent("read.review.attachment", r.subject_id, {"attachment": r.id})
                for r in rows
            ]
            append(session, reader.actor, events)
    return rows


def case_attachments(reg: Registry, kind: str, case_id: int, reader: Reader) -> list[Attachment]:
    """The attachments of one case, oldest first: a subject's own case, or a case of the
    reviewer's authority (another authority's is refused and audited)."""
    model = CASES.get(kind)
    if model is None:
        raise RequestInvalidError(f"no kind of case {kind!r}", {"case": kind})
    sid = None if reader.subject is None else parse_subject(reader.subject).value
    if sid is None:
        ensure_routed(reg, model, case_id, reader.authority, reader.actor)
    with reg.session() as session:
        case = session.get(model, case_id)
        mine = sid is None or (case is not None and case.subject_id == sid)
        if case is None or not mine:
            raise NotFoundError(f"no {kind} {case_id}", {"case": kind, "id": case_id})
        query = select(Attachment).where(
            Attachment.case_kind == kind, Attachment.case_id == case_id
        )
        rows = list(session.execute(query.order_by(Attachment.id)).scalars())
    return _audited(reg, rows, reader)


def subject_attachments(reg: Registry, subject: str) -> list[Attachment]:
    """Every attachment of the subject's own cases, oldest first."""
    sid = parse_subject(subject).value
    with reg.session() as session:
        query = select(Attachment).where(Attachment.subject_id == sid).order_by(Attachment.id)
        return list(session.execute(query).scalars())


def attachment(reg: Registry, attachment_id: int, reader: Reader) -> Attachment:
    """One attachment with its content, for its subject or a reviewer of its case."""
    sid = None if reader.subject is None else parse_subject(reader.subject).value
    with reg.session() as session:
        row = session.get(Attachment, attachment_id)
    if row is None or (sid is not None and row.subject_id != sid):
        raise NotFoundError(f"no attachment {attachment_id}", {"attachment": attachment_id})
    if reader.subject is None:
        ensure_routed(reg, CASES[row.case_kind], row.case_id, reader.authority, reader.actor)
    return _audited(reg, [row], reader)[0]
