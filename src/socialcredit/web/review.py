"""The reviewer's desk: the queues of objections and repair applications (earliest deadline
first), a case with the record, the grounds and the evidence attached, and the decision with
reasons. The pages call
the API's reviewer routes, and the record is read through the API's file route (a reviewer reads
a file only while a case of that subject awaits a decision; the read is audited)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Form, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse

from socialcredit.api.deps import Caller, Paging, RowId, registry_of
from socialcredit.api.routers import attachments as attachment_api
from socialcredit.api.routers import reviewer as api
from socialcredit.api.routers import subject as subject_api
from socialcredit.api.schemas import ObjectionDecisionIn, RepairDecisionIn
from socialcredit.api.views import ObjectionOut, objection_out
from socialcredit.registry import Registry
from socialcredit.registry.workflows import objections
from socialcredit.web.pages import need, portal_router, render, validated
from socialcredit.web.public import active

router = portal_router()
REVIEW = "due-process review (portal)"
Text = Annotated[str, Form(max_length=2000)]
QUEUE = Paging(100, 0)


@router.get("/review")
async def queue(request: Request) -> Response:
    who = await need(request, REVIEW, "reviewer")
    reg = registry_of(request)
    found = await run_in_threadpool(api.objection_queue, reg, who, QUEUE, "pending")
    repairs = await run_in_threadpool(api.repair_queue, reg, who, QUEUE, "pending")
    context = {"objections": found, "repairs": repairs, "today": reg.today()}
    return render(request, "review.html", context)


def _objection(reg: Registry, objection_id: int, who: Caller) -> ObjectionOut:
    """One objection as the queue shows it (pending or decided), read as the registry lets
    this reviewer read it (its authority's cases only; audited)."""
    row = objections.objection_case(reg, objection_id, who.need().authority, who.actor)
    return objection_out(row, reg.today())


@router.get("/review/objections/{objection_id}")
async def objection_case(request: Request, objection_id: RowId) -> Response:
    """One pending objection: the grounds and the record with its history."""
    who = await need(request, REVIEW, "reviewer")
    reg = registry_of(request)
    case = await run_in_threadpool(_objection, reg, objection_id, who)
    record, evidence = None, []
    if case.status == "pending":
        file = await run_in_threadpool(subject_api.read_file, case.subject, reg, who)
        record = next((r for r in file.records if r.record == case.record), None)
        listing = attachment_api.objection_attachments
        evidence = await run_in_threadpool(listing, objection_id, reg, who)
    policies = await run_in_threadpool(active, reg)
    context = {"case": case, "record": record, "policies": policies, "evidence": evidence}
    return render(request, "case.html", context)


@router.get("/review/attachments/{attachment_id}")
async def evidence_file(request: Request, attachment_id: RowId) -> Response:
    """One attachment of a case of the reviewer's authority, as uploaded (the read is
    audited and shown to the subject)."""
    who = await need(request, REVIEW, "reviewer")
    reg = registry_of(request)
    return await run_in_threadpool(attachment_api.review_attachment, attachment_id, reg, who)


@router.post("/review/objections/{objection_id}/decision")
async def decide_objection(
    request: Request, objection_id: RowId, outcome: Text, reason: Text, csrf: Text
) -> Response:
    request.app.state.portal_cookies.check_form(request, csrf)
    who = await need(request, REVIEW, "reviewer")
    body = validated(ObjectionDecisionIn, outcome=outcome, reason=reason)
    reg = registry_of(request)
    await run_in_threadpool(api.decide_one_objection, objection_id, body, reg, who)
    return RedirectResponse("/review?done=objection", status_code=303)


@router.post("/review/repairs/{application_id}/decision")
async def decide_repair(
    request: Request, application_id: RowId, grant: Text, reason: Text, csrf: Text
) -> Response:
    request.app.state.portal_cookies.check_form(request, csrf)
    who = await need(request, REVIEW, "reviewer")
    body = validated(RepairDecisionIn, grant=grant == "yes", reason=reason)
    reg = registry_of(request)
    await run_in_threadpool(api.decide_one_repair, application_id, body, reg, who)
    return RedirectResponse("/review?done=repair", status_code=303)
