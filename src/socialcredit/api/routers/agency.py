"""Agencies: submit records (single and batch, idempotent) and responsible-person links,
resolve, revoke, correct, and read their own submissions. An agency principal acts for its
catalogue ``authority`` only."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response

from socialcredit.api.deps import Caller, Page, Reg, caller, page_body
from socialcredit.api.problems import PROBLEMS
from socialcredit.api.schemas import (
    CorrectionIn,
    LinkIn,
    OrganisationNameIn,
    RecordBatchIn,
    RecordIn,
    StatusChangeIn,
)
from socialcredit.api.views import (
    BatchSubmitOut,
    LinkOut,
    LinkSubmitOut,
    OrganisationNameOut,
    OutcomeOut,
    PageOut,
    RecordOut,
    SubmitOut,
    link_out,
    record_out,
)
from socialcredit.registry import Registry
from socialcredit.registry.workflows.status import change_with_reason
from socialcredit.registry.workflows.submissions import (
    agency_links,
    agency_record,
    agency_records,
    check_items,
    correct_record,
    name_organisation,
)
from socialcredit.registry.writes.lifecycle import StatusChange
from socialcredit.registry.writes.linksubmit import submit_link
from socialcredit.registry.writes.submit import Submission, submit_lines, submit_record

router = APIRouter(prefix="/v1/agency", tags=["agency"], responses=PROBLEMS)
Agency = Annotated[Caller, Depends(caller("agency", purpose="agency submission"))]


def _authority(who: Caller) -> str:
    return who.need().authority or ""


@router.post("/records", status_code=201, responses={200: {"model": SubmitOut}})
def submit(body: RecordIn, reg: Reg, who: Agency, response: Response) -> SubmitOut:
    """Submit one record. 201 when registered; 200 when the same payload was already there."""
    raw = body.raw()
    check_items(reg, [raw], _authority(who), who.actor)
    status = submit_record(reg, raw, Submission(_authority(who), who.actor))
    if status == "unchanged":
        response.status_code = 200
    return SubmitOut(record=body.id, status=status)


@router.post("/links", status_code=201, responses={200: {"model": LinkSubmitOut}})
def submit_one_link(body: LinkIn, reg: Reg, who: Agency, response: Response) -> LinkSubmitOut:
    """Submit one responsible-person link, in a role your authority establishes. 201 when
    registered; 200 when the same link was already there."""
    status = submit_link(reg, body.raw(), Submission(_authority(who), who.actor))
    if status == "unchanged":
        response.status_code = 200
    return LinkSubmitOut(link=body.id, status=status)


@router.post("/records/batch")
def submit_batch(body: RecordBatchIn, reg: Reg, who: Agency) -> BatchSubmitOut:
    """Submit up to 1,000 records; every entry gets an outcome (a refused one its reasons)."""
    raws = [r.raw() for r in body.records]
    check_items(reg, raws, _authority(who), who.actor)
    lines = [(i, raw) for i, raw in enumerate(raws)]
    report = submit_lines(reg, lines, Submission(_authority(who), who.actor))
    outcomes = [
        OutcomeOut(
            index=o.line,
            record=o.record_id,
            status=o.status,
            reasons=list(o.reasons),
            warnings=list(o.warnings),
        )
        for o in report.outcomes
    ]
    return BatchSubmitOut(
        registered=report.count("registered"),
        unchanged=report.count("unchanged"),
        refused=report.count("refused"),
        outcomes=outcomes,
    )


@router.get("/records")
def own_records(reg: Reg, who: Agency, page: Page) -> PageOut[RecordOut]:
    """The agency's own records with their status history, oldest first (audited)."""
    found = agency_records(reg, _authority(who), page.limit, page.offset, who.actor)
    items = [record_out(s.row, s.events) for s in found.rows]
    return PageOut[RecordOut](**page_body(items, found.total, page))


@router.get("/links")
def own_links(reg: Reg, who: Agency, page: Page) -> PageOut[LinkOut]:
    """The links the agency submitted with their events, oldest first (audited)."""
    found = agency_links(reg, _authority(who), page.limit, page.offset, who.actor)
    items = [link_out(s.row, s.events) for s in found.rows]
    return PageOut[LinkOut](**page_body(items, found.total, page))


@router.get("/records/{record_id}")
def own_record(record_id: str, reg: Reg, who: Agency) -> RecordOut:
    """One of the agency's records, by the agency's own record id (audited)."""
    found = agency_record(reg, _authority(who), record_id, who.actor)
    return record_out(found.row, found.events)


def _change(reg: Registry, who: Caller, action: str, record_id: str, body: StatusChangeIn) -> Any:
    agency = _authority(who)
    with reg.session() as session, session.begin():
        on = body.on or reg.state(session).as_of
        change = StatusChange(action, agency, record_id, on)
        change_with_reason(session, reg, change, body.reason, who.actor)
    found = agency_record(reg, agency, record_id, who.actor)
    return record_out(found.row, found.events)


@router.post("/records/{record_id}/resolve")
def resolve(record_id: str, body: StatusChangeIn, reg: Reg, who: Agency) -> RecordOut:
    """The obligation was performed on ``on``: the record stops counting (per the item)."""
    out: RecordOut = _change(reg, who, "resolve", record_id, body)
    return out


@router.post("/records/{record_id}/revoke")
def revoke(record_id: str, body: StatusChangeIn, reg: Reg, who: Agency) -> RecordOut:
    """The decision behind the record was revoked or set aside on ``on``."""
    out: RecordOut = _change(reg, who, "revoke", record_id, body)
    return out


@router.post("/records/{record_id}/correct")
def correct(record_id: str, body: CorrectionIn, reg: Reg, who: Agency) -> SubmitOut:
    """Register the corrected record under a new id and end this one as replaced by it."""
    raw = body.record.raw()
    check_items(reg, [raw], _authority(who), who.actor)
    status = correct_record(reg, _authority(who), record_id, raw, who.actor)
    return SubmitOut(record=body.record.id, status=status)


@router.put("/organisations/{code}")
def name(code: str, body: OrganisationNameIn, reg: Reg, who: Agency) -> OrganisationNameOut:
    """Register an organisation's name, for the public lookup by name."""
    found = name_organisation(reg, code, body.name, who.actor)
    return OrganisationNameOut(subject=found.id, name=found.name)
