"""A subject's evidence on the portal: attach a file to one's own pending objection or repair
application, and download what one attached. The pages call the API's attachment routes, so
the same limits apply (PDF, PNG or JPEG by their first bytes, at most the registry's
``attachment_max_bytes``) and every attachment and refusal is audited."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse

from socialcredit.api.deps import RowId, registry_of
from socialcredit.api.routers import attachments as api
from socialcredit.web.pages import need, portal_router

router = portal_router()
OWN = "the subject's own evidence (portal)"
Csrf = Annotated[str, Form(max_length=200)]
Upload = Annotated[UploadFile, File()]


def _back(subject_id: str) -> Response:
    return RedirectResponse(f"/subjects/{subject_id}?done=evidence#evidence", status_code=303)


@router.post("/subjects/{subject_id}/objections/{objection_id}/attachments")
async def attach_to_objection(
    request: Request, subject_id: str, objection_id: RowId, file: Upload, csrf: Csrf
) -> Response:
    """Attach evidence to one's own pending objection."""
    request.app.state.portal_cookies.check_form(request, csrf)
    who = await need(request, OWN, "subject")
    reg = registry_of(request)
    await run_in_threadpool(api.attach_to_objection, subject_id, objection_id, file, reg, who)
    return _back(subject_id)


@router.post("/subjects/{subject_id}/repairs/{application_id}/attachments")
async def attach_to_repair(
    request: Request, subject_id: str, application_id: RowId, file: Upload, csrf: Csrf
) -> Response:
    """Attach evidence to one's own pending credit repair application."""
    request.app.state.portal_cookies.check_form(request, csrf)
    who = await need(request, OWN, "subject")
    reg = registry_of(request)
    await run_in_threadpool(api.attach_to_repair, subject_id, application_id, file, reg, who)
    return _back(subject_id)


@router.get("/subjects/{subject_id}/attachments/{attachment_id}")
async def own_attachment(request: Request, subject_id: str, attachment_id: RowId) -> Response:
    """One of one's own attachments, as uploaded."""
    who = await need(request, OWN, "subject")
    reg = registry_of(request)
    return await run_in_threadpool(api.own_attachment, subject_id, attachment_id, reg, who)
