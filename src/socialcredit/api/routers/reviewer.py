"""Reviewers: their authority's queues of objections and credit repair applications, earliest
deadline first, and their decisions with reasons (final: deciding twice is refused; a reviewer
of another authority is refused)."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from socialcredit.api.deps import Caller, Page, Reg, RowId, caller, page_body
from socialcredit.api.problems import PROBLEMS
from socialcredit.api.schemas import ObjectionDecisionIn, RepairDecisionIn
from socialcredit.api.views import ObjectionOut, PageOut, RepairOut, objection_out, repair_out
from socialcredit.engine import DisputeOutcome
from socialcredit.registry.workflows.objections import QueueQuery, decide_objection, objections
from socialcredit.registry.workflows.repair import decide_repair, repairs

router = APIRouter(prefix="/v1/review", tags=["reviewer"], responses=PROBLEMS)
Reviewer = Annotated[Caller, Depends(caller("reviewer", purpose="due-process review"))]
ObjectionStatus = Annotated[Literal["pending", "decided"] | None, Query()]
RepairStatus = Annotated[Literal["pending", "granted", "refused"] | None, Query()]


@router.get("/objections")
def objection_queue(
    reg: Reg, who: Reviewer, page: Page, status: ObjectionStatus = "pending"
) -> PageOut[ObjectionOut]:
    """Objections (default: pending), earliest deadline first; ``overdue`` when past it."""
    authority = who.need().authority
    found = objections(
        reg, QueueQuery(page.limit, page.offset, status, authority=authority, reader=who.actor)
    )
    today = reg.today()
    items = [objection_out(o, today) for o in found.rows]
    return PageOut[ObjectionOut](**page_body(items, found.total, page))


@router.post("/objections/{objection_id}/decision")
def decide_one_objection(
    objection_id: RowId, body: ObjectionDecisionIn, reg: Reg, who: Reviewer
) -> ObjectionOut:
    """Uphold the record, or end it as corrected or revoked; the subject is notified."""
    outcome, authority = DisputeOutcome(body.outcome), who.need().authority
    found = decide_objection(
        reg, objection_id, outcome, body.reason, who.actor, authority=authority
    )
    return objection_out(found, found.decided_on or found.filed_on)


@router.get("/repairs")
def repair_queue(
    reg: Reg, who: Reviewer, page: Page, status: RepairStatus = "pending"
) -> PageOut[RepairOut]:
    """Credit repair applications (default: pending), earliest deadline first."""
    authority = who.need().authority
    found = repairs(
        reg, QueueQuery(page.limit, page.offset, status, authority=authority, reader=who.actor)
    )
    today = reg.today()
    items = [repair_out(r, today) for r in found.rows]
    return PageOut[RepairOut](**page_body(items, found.total, page))


@router.post("/repairs/{application_id}/decision")
def decide_one_repair(
    application_id: RowId, body: RepairDecisionIn, reg: Reg, who: Reviewer
) -> RepairOut:
    """Grant (the triggering records are resolved and the listing ends) or refuse."""
    authority = who.need().authority
    found = decide_repair(
        reg, application_id, body.grant, body.reason, who.actor, authority=authority
    )
    return repair_out(found, found.decided_on or found.filed_on)
