"""The agency's quarantine: its open (or resolved) refused lines with their line, source file,
reasons and raw text, paged, each read audited under the line's subject; and a form per open
line to resubmit it corrected (the record's or link's fields as a JSON object, prefilled from
the raw line when it is one). The same registry calls as the API's quarantine routes: an agency
sees and resubmits only its own lines (another's id is not found, and nothing is changed)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Form, Query, Request, Response
from starlette.concurrency import run_in_threadpool

from socialcredit.api.deps import RowId, registry_of
from socialcredit.errors import RequestInvalidError
from socialcredit.registry.store.quarantine import QuarantineLine
from socialcredit.registry.workflows.quarantine import quarantine_page, resubmit
from socialcredit.web.agency import SUBMIT
from socialcredit.web.pages import need, portal_router, render

router = portal_router()
PAGE = 20
Status = Annotated[str, Query(pattern="^(open|resolved|all)$")]
Offset = Annotated[int, Query(ge=0, le=10_000_000)]


@dataclass(frozen=True)
class Line:
    """A quarantined line as the page shows it, with the correction form's starting text."""

    row: QuarantineLine
    prefill: str


def _prefill(raw: str | None) -> str:
    """The raw line as an indented JSON object when it is one, else nothing."""
    try:
        found = json.loads(raw or "")
    except ValueError:
        return ""
    return json.dumps(found, ensure_ascii=False, indent=1) if isinstance(found, dict) else ""


@router.get("/agency/quarantine")
async def quarantine(request: Request, status: Status = "open", offset: Offset = 0) -> Response:
    """A page of the agency's quarantined lines, oldest first (each read audited)."""
    who = await need(request, SUBMIT, "agency")
    agency = who.need().authority or ""
    which = None if status == "all" else status
    reg = registry_of(request)
    found = await run_in_threadpool(quarantine_page, reg, agency, which, (PAGE, offset), who.actor)
    lines = [Line(q, _prefill(q.raw)) for q in found.rows]
    context: dict[str, Any] = {
        "lines": lines,
        "total": found.total,
        "status": status,
        "offset": offset,
        "page": PAGE,
    }
    return render(request, "quarantine.html", context)


def _correction(text: str) -> dict[str, Any]:
    try:
        found = json.loads(text)
    except ValueError as exc:
        raise RequestInvalidError(f"the correction is not JSON: {exc}", {}) from None
    if not isinstance(found, dict):
        raise RequestInvalidError("the correction must be one JSON object of fields", {})
    return found


@router.post("/agency/quarantine/{entry}/resubmit")
async def resubmit_line(
    request: Request,
    entry: RowId,
    fields: Annotated[str, Form(max_length=20_000)],
    csrf: Annotated[str, Form(max_length=200)],
) -> Response:
    """Resubmit one line corrected: stored (or unchanged) resolves it; refused keeps it open
    with the new reasons. Another agency's line is not found; nothing is changed."""
    request.app.state.portal_cookies.check_form(request, csrf)
    who = await need(request, SUBMIT, "agency")
    correction = _correction(fields)
    agency = who.need().authority or ""
    reg = registry_of(request)
    done = await run_in_threadpool(resubmit, reg, agency, [(entry, correction)], who.actor)
    context = {"entry": entry, "outcome": done[0].outcome, "fields": fields}
    return render(request, "resubmitted.html", context)
