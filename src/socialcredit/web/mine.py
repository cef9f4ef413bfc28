"""A subject's own pages: the file (scores with contributions and a chart over time, lists with
since, until and the way out, decisions per service with reasons, records with histories), who
read it and why, the notices, an objection to a record, an application for credit repair, the
evidence attached to them (``web.evidence``), and the file to take away (JSON, and a printable
credit report as PDF).

Each page calls the API's subject routes themselves, so the same rule admits the visitor (only
the own file; another subject's is refused and the attempt audited) and the same reads are
audited and shown to the subject.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse

from socialcredit.api.deps import Caller, Paging, registry_of
from socialcredit.api.routers import attachments as attachment_api
from socialcredit.api.routers import subject as api
from socialcredit.api.schemas import ObjectionIn, RepairIn
from socialcredit.registry.reads.history import score_history
from socialcredit.web.charts import Chart, line
from socialcredit.web.pages import formats, need, portal_router, render, validated
from socialcredit.web.public import active
from socialcredit.web.report import pdf_report

router = portal_router()
OWN = "the subject's own file (portal)"
Text = Annotated[str, Form(max_length=2000)]
ALL = Paging(100, 0)


async def _own(request: Request) -> Caller:
    return await need(request, OWN, "subject")


@router.get("/subjects/{subject_id}")
async def own_file(request: Request, subject_id: str, done: str = "") -> Response:
    who = await _own(request)
    reg = registry_of(request)
    found = await run_in_threadpool(api.read_file, subject_id, reg, who)
    series = await run_in_threadpool(score_history, reg, found.subject)
    open_objections = await run_in_threadpool(api.own_objections, subject_id, reg, who, ALL)
    repairs = await run_in_threadpool(api.own_repairs, subject_id, reg, who, ALL)
    evidence = await run_in_threadpool(attachment_api.own_attachments, subject_id, reg, who)
    f = formats(request)
    charts = []
    for s in series:
        points = [(f.date(day, "MMM y"), float(value)) for day, value in s.points]
        words = "; ".join(f"{f.date(day)}: {f.number(value)}" for day, value in s.points)
        charts.append((s, line(Chart(f"score-{s.model}", s.title, words, points), s.low, s.high)))
    context = {
        "file": found,
        "a": found.assessment,
        "charts": charts,
        "policies": await run_in_threadpool(active, reg),
        "objections": open_objections.items,
        "repairs": repairs.items,
        "evidence": evidence,
        "max_bytes": reg.settings.attachment_max_bytes,
        "done": done,
    }
    return render(request, "file.html", context)


@router.get("/subjects/{subject_id}/accesses")
async def accesses(request: Request, subject_id: str) -> Response:
    who = await _own(request)
    found = await run_in_threadpool(
        api.read_accesses, subject_id, registry_of(request), who, Paging(100, 0)
    )
    return render(request, "accesses.html", {"page": found, "subject": subject_id})


@router.get("/subjects/{subject_id}/notices")
async def notices(request: Request, subject_id: str) -> Response:
    who = await _own(request)
    found = await run_in_threadpool(
        api.read_notices, subject_id, registry_of(request), who, Paging(100, 0)
    )
    return render(request, "notices.html", {"page": found, "subject": subject_id})


@router.post("/subjects/{subject_id}/objections")
async def object_to(
    request: Request, subject_id: str, record: Text, grounds: Text, csrf: Text
) -> Response:
    """File an objection: the record is disputed at once and decided by the deadline."""
    request.app.state.portal_cookies.check_form(request, csrf)
    who = await _own(request)
    body = validated(ObjectionIn, record=record, grounds=grounds)
    await run_in_threadpool(api.object_to, subject_id, body, registry_of(request), who)
    return RedirectResponse(f"/subjects/{subject_id}?done=objection", status_code=303)


class RepairForm(BaseModel):
    """The fields of the repair form (checkboxes post ``yes`` when ticked)."""

    model_config = ConfigDict(extra="forbid")

    csrf: str = Field(max_length=200)
    list: str = Field(max_length=200)
    statement: str = Field(max_length=2000)
    performed: str = Field(default="", max_length=10)
    commitment: str = Field(default="", max_length=10)


@router.post("/subjects/{subject_id}/repairs")
async def apply_repair(
    request: Request, subject_id: str, form: Annotated[RepairForm, Form()]
) -> Response:
    """Apply for credit repair on a list the subject is on today."""
    request.app.state.portal_cookies.check_form(request, form.csrf)
    who = await _own(request)
    body = validated(
        RepairIn,
        list=form.list,
        statement=form.statement,
        obligation_performed=form.performed == "yes",
        commitment=form.commitment == "yes",
    )
    await run_in_threadpool(api.apply_repair, subject_id, body, registry_of(request), who)
    return RedirectResponse(f"/subjects/{subject_id}?done=repair", status_code=303)


@router.get("/subjects/{subject_id}/file.json")
async def export_json(request: Request, subject_id: str) -> Response:
    """The whole file as JSON, counted as a copy, as the API's export."""
    who = await _own(request)
    named = Response()
    found = await run_in_threadpool(api.export, subject_id, registry_of(request), who, named)
    headers = {
        "Content-Disposition": named.headers["content-disposition"],
        "Cache-Control": "no-store",
    }
    return Response(found.model_dump_json(indent=2), media_type="application/json", headers=headers)


@router.get("/subjects/{subject_id}/report.pdf")
async def export_pdf(request: Request, subject_id: str) -> Response:
    """A printable credit report of the file (PDF), in the visitor's language."""
    who = await _own(request)
    reg = registry_of(request)
    found = await run_in_threadpool(api.read_file, subject_id, reg, who)
    policies = await run_in_threadpool(active, reg)
    data = await run_in_threadpool(pdf_report, formats(request), found, policies)
    name = f"credit-report-{found.subject}-{found.registry_date}.pdf"
    return Response(
        data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )
