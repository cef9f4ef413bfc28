"""The agency's desk: upload a records file (JSON Lines or CSV in our field names, or the
agency's own export with its mapping), preview the first rows mapped with each row's problems
and the file's warnings (nothing stored), then confirm and see the counts: in = stored +
unchanged + quarantined. The submission goes through the same calls as the API's upload: an
agency uses only its own mappings, items of another authority are refused (and the attempt
audited), every line is checked by the engine, refused lines are quarantined
(:mod:`socialcredit.web.quarantine` lists them and resubmits corrections).

The confirmation sends the files again, bound to the preview by :class:`~.uploads.Seal`."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData

from socialcredit.api.deps import Caller, registry_of
from socialcredit.errors import AccessDeniedError, InputError, RequestInvalidError
from socialcredit.ingest.files import rows
from socialcredit.ingest.mapping_load import Mapping
from socialcredit.ingest.mapping_models import RowKind
from socialcredit.registry import Registry
from socialcredit.registry.workflows.submissions import check_items
from socialcredit.registry.workflows.uploads import (
    FileReport,
    Upload,
    mapping_bytes,
    preview_rows,
    submit_file,
)
from socialcredit.registry.writes.intake import checked_for
from socialcredit.registry.writes.submit import Submission
from socialcredit.web.pages import cookies_of, need, portal_router, render
from socialcredit.web.settings import PortalSettings
from socialcredit.web.uploads import (
    Posted,
    Seal,
    declared_too_large,
    posted_files,
    text_field,
)

router = portal_router()
SUBMIT = "agency submission (portal)"
SUFFIXES = (".jsonl", ".json", ".ndjson", ".csv")
PREVIEW_ROWS = 20


class ForeignMappingError(AccessDeniedError):
    """The mapping uploaded is another agency's."""

    code: ClassVar[str] = "mapping-foreign"


@dataclass(frozen=True)
class Shown:
    """One row of the preview: its line, its fields as read and its problems."""

    line: int
    fields: dict[str, str]
    problems: list[str]


@dataclass(frozen=True)
class Preview:
    kind: str  # records or links
    mapping: str | None
    warnings: list[str]
    rows: list[Shown]


@router.get("/agency")
async def desk(request: Request) -> Response:
    who = await need(request, SUBMIT, "agency")
    limit = request.app.state.portal_settings.max_upload_bytes
    context = {"authority": who.need().authority, "limit": limit}
    return render(request, "agency.html", context)


def _authority(who: Caller) -> str:
    return who.need().authority or ""


def _mapping(reg: Registry, posted: Posted, agency: str) -> Mapping | None:
    """The uploaded mapping checked against the policies, for this agency only."""
    if posted.mapping is None:
        return None
    try:
        return mapping_bytes(reg, posted.mapping, posted.mapping_name or "mapping.yaml", agency)
    except AccessDeniedError as exc:
        raise ForeignMappingError(exc.message, exc.details) from None


@contextmanager
def _on_disk(posted: Posted, mapping: Mapping | None) -> Iterator[Path]:
    """The records file in a private temporary folder, deleted when done; a file that cannot
    be read is refused in the words of its own name (the temporary path is never shown)."""
    if mapping is None:
        suffix = Path(posted.name).suffix.lower()
        if suffix not in SUFFIXES:
            raise RequestInvalidError(
                "name the file .jsonl (JSON Lines) or .csv, or send its mapping",
                {"file": posted.name},
            )
    else:
        suffix = f".{mapping.model.source.format}"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"upload{suffix}"
        path.write_bytes(posted.data)
        try:
            yield path
        except InputError as exc:
            shown = exc.message.replace(str(path), posted.name)
            raise InputError(shown, {**exc.details, "path": posted.name}) from None


def _plain_preview(reg: Registry, path: Path, agency: str) -> list[Shown]:
    with reg.session() as session:
        policies = reg.policies(session).policy_set
    shown: list[Shown] = []
    for number, raw in rows(path):
        if isinstance(raw, str):
            shown.append(Shown(number, {}, [raw]))
        else:
            checked = checked_for(raw, policies, agency)
            problems = checked.reasons + [f"warning: {w}" for w in checked.warnings]
            shown.append(Shown(number, {k: str(v) for k, v in raw.items()}, problems))
        if len(shown) >= PREVIEW_ROWS:
            break
    return shown


def _mapped_preview(reg: Registry, path: Path, mapping: Mapping, agency: str) -> Preview:
    with reg.session() as session:
        policies = reg.policies(session).policy_set
    warnings, found = preview_rows(path, mapping, PREVIEW_ROWS)
    shown = []
    for row in found:
        problems = list(row.reasons)
        if not problems and mapping.rows is RowKind.RECORDS:
            checked = checked_for(row.fields, policies, agency)
            problems = checked.reasons + [f"warning: {w}" for w in checked.warnings]
        shown.append(Shown(row.line, row.fields, problems))
    name = mapping.model.mapping.name
    return Preview(str(mapping.rows.value), name, warnings, shown)


def _preview(reg: Registry, who: Caller, posted: Posted) -> Preview:
    """The first rows of the upload as a submission would read them; nothing is stored."""
    agency = _authority(who)
    mapping = _mapping(reg, posted, agency)
    with _on_disk(posted, mapping) as path:
        if mapping is None:
            return Preview("records", None, [], _plain_preview(reg, path, agency))
        return _mapped_preview(reg, path, mapping, agency)


def _submit(reg: Registry, who: Caller, posted: Posted) -> FileReport:
    agency = _authority(who)
    mapping = _mapping(reg, posted, agency)
    with _on_disk(posted, mapping) as path:
        if mapping is None:
            raws = [raw for _, raw in rows(path) if isinstance(raw, dict)]
            check_items(reg, raws, agency, who.actor)
        upload = Upload(path, mapping, posted.name)
        return submit_file(reg, upload, Submission(agency, who.actor))


async def _form(request: Request) -> tuple[FormData, Caller, Posted]:
    """The form (CSRF checked before anything is read or changed), the agency, the files."""
    settings: PortalSettings = request.app.state.portal_settings
    refused = declared_too_large(request, settings)
    if refused is not None:
        raise refused
    form = await request.form(max_files=2, max_fields=5)
    cookies_of(request).check_form(request, text_field(form, "csrf"))
    who = await need(request, SUBMIT, "agency")
    return form, who, await posted_files(form, settings)


@router.post("/agency/preview")
async def preview(request: Request) -> Response:
    """The first rows mapped, their problems and the file's warnings; nothing is stored."""
    _, who, posted = await _form(request)
    found = await run_in_threadpool(_preview, registry_of(request), who, posted)
    seal = Seal(request.app.state.portal_settings).sign(posted, who.need().id)
    context: dict[str, Any] = {"posted": posted, "preview": found, "seal": seal}
    return render(request, "agency_preview.html", context)


@router.post("/agency/upload")
async def upload(request: Request) -> Response:
    """Submit the files previewed (sent again, checked against the preview's seal)."""
    form, who, posted = await _form(request)
    seal = Seal(request.app.state.portal_settings)
    seal.check(text_field(form, "seal"), posted, who.need().id)
    report = await run_in_threadpool(_submit, registry_of(request), who, posted)
    context: dict[str, Any] = {"name": posted.name, "report": report, "counts": report.counts()}
    return render(request, "upload_report.html", context)
