"""The agency's desk: upload a records file (JSON Lines or CSV, the format of ``socialcredit
records submit``) and see the report line by line. The submission goes through the same calls
as the API's batch route: items of another authority are refused (and the attempt audited), every
line is checked by the engine, valid lines are registered and refused ones quarantined (the
agency lists and resubmits them with `records quarantine` or the API)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any, ClassVar

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from socialcredit.api.deps import Caller, registry_of
from socialcredit.errors import RequestInvalidError, SocialCreditError
from socialcredit.ingest.files import rows
from socialcredit.registry import Registry
from socialcredit.registry.workflows.submissions import check_items
from socialcredit.registry.workflows.uploads import Upload, submit_file
from socialcredit.registry.writes.submit import Submission, SubmitReport
from socialcredit.web.pages import cookies_of, need, portal_router, render
from socialcredit.web.settings import PortalSettings

router = portal_router()
SUBMIT = "agency submission (portal)"
SUFFIXES = (".jsonl", ".json", ".ndjson", ".csv")


class TooLargeError(SocialCreditError):
    code: ClassVar[str] = "too-large"
    http_status: ClassVar[int] = 413


@router.get("/agency")
async def desk(request: Request) -> Response:
    who = await need(request, SUBMIT, "agency")
    limit = request.app.state.portal_settings.max_upload_bytes
    context = {"authority": who.need().authority, "limit": limit}
    return render(request, "agency.html", context)


def _submit(reg: Registry, who: Caller, name: str, data: bytes) -> SubmitReport:
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise RequestInvalidError("name the file .jsonl (JSON Lines) or .csv", {"file": name})
    authority = who.need().authority or ""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(data)
        raws = [raw for _, raw in rows(path) if isinstance(raw, dict)]
        check_items(reg, raws, authority, who.actor)
        upload = Upload(path, None, name)
        return submit_file(reg, upload, Submission(authority, who.actor)).report


def _too_large(request: Request, settings: PortalSettings) -> TooLargeError | None:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload_bytes + 10_000:
        return TooLargeError(f"the upload is larger than {settings.max_upload_bytes} bytes", {})
    return None


@router.post("/agency/upload")
async def upload(request: Request) -> Response:
    """Submit the uploaded file; a file over the limit is refused before it is read."""
    settings: PortalSettings = request.app.state.portal_settings
    refused = _too_large(request, settings)
    if refused is not None:
        raise refused
    form = await request.form(max_files=1, max_fields=5)
    posted = form.get("csrf")
    cookies_of(request).check_form(request, posted if isinstance(posted, str) else None)
    who = await need(request, SUBMIT, "agency")
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise RequestInvalidError("choose a records file to upload", {})
    data = await upload.read(settings.max_upload_bytes + 1)
    if len(data) > settings.max_upload_bytes:
        raise TooLargeError(f"the upload is larger than {settings.max_upload_bytes} bytes", {})
    name = upload.filename or "upload"
    report = await run_in_threadpool(_submit, registry_of(request), who, name, data)
    context: dict[str, Any] = {
        "name": name,
        "report": report,
        "counts": {s: report.count(s) for s in ("registered", "unchanged", "refused")},
    }
    return render(request, "upload_report.html", context)
