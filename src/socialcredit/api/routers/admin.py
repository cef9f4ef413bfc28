"""Administrators: principals and their keys, policy versions, statistics, and moving the
registry date (the tick, then the sweep of due-process deadlines)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from socialcredit.api.deps import Caller, KeyCache, Page, Reg, RowId, caller, page_body
from socialcredit.api.problems import PROBLEMS
from socialcredit.api.schemas import PrincipalIn, TickIn
from socialcredit.api.views import NewPrincipalOut, PageOut, PrincipalOut, principal_out
from socialcredit.errors import AccessDeniedError
from socialcredit.registry.policystore import version_page
from socialcredit.registry.reads.stats import statistics
from socialcredit.registry.workflows.dueprocess import advance
from socialcredit.registry.workflows.principals import (
    PrincipalSpec,
    create_principal,
    list_principals,
    revoke_principal,
)

router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=PROBLEMS)
Admin = Annotated[Caller, Depends(caller("admin", purpose="administration"))]
Dict = dict[str, Any]


@router.post("/principals", status_code=201)
def create(body: PrincipalIn, reg: Reg, who: Admin) -> NewPrincipalOut:
    """Create a principal; its key is in this response only (stored as a hash). Not a
    subject's: administrators cannot read files, so subject keys are issued only after an
    identity check in person (``socialcredit principal create --role subject --verified-by``),
    and subjects sign in to the portal by a one-time code to their own address."""
    if body.role == "subject":
        raise AccessDeniedError(
            "administrators do not issue subject keys through the API: a subject signs in by a "
            "one-time code, or is issued a key after an identity check in person "
            "(principal create --role subject --verified-by)",
            {"role": body.role},
        )
    spec = PrincipalSpec(body.name, body.role, body.authority, tuple(body.services), body.subject)
    row, key = create_principal(reg, spec, who.actor)
    return NewPrincipalOut(**principal_out(row).model_dump(), key=key)


@router.get("/principals")
def principals(reg: Reg, who: Admin, page: Page) -> PageOut[PrincipalOut]:
    """Every principal (revoked ones too), oldest first; never a key."""
    rows, total = list_principals(reg, page.limit, page.offset, who.actor)
    return PageOut[PrincipalOut](**page_body([principal_out(r) for r in rows], total, page))


@router.post("/principals/{principal_id}/revoke")
def revoke(principal_id: RowId, reg: Reg, who: Admin, request: Request) -> PrincipalOut:
    """Revoke a principal's key, at once."""
    row = revoke_principal(reg, principal_id, who.actor)
    keys: KeyCache = request.app.state.keys
    keys.clear()
    return principal_out(row)


@router.get("/policies")
def policy_versions(reg: Reg, who: Admin, page: Page) -> PageOut[Dict]:
    """Every stored policy version (newest first), and whether it is in force."""
    with reg.session() as session:
        found = version_page(session, page.limit, page.offset)
        items = [
            {
                "id": v.id,
                "policy": v.policy_id,
                "version": v.version,
                "sha256": v.sha256,
                "loaded_at": v.loaded_at.isoformat(),
                "loaded_by": v.loaded_by,
                "active": v.id in found.active,
            }
            for v in found.versions
        ]
    return PageOut[Dict](**page_body(items, found.total, page))


@router.get("/statistics")
def stats(reg: Reg, who: Admin) -> Dict:
    """Subjects, records, list memberships, due-process queues, notices, audit entries."""
    return statistics(reg)


@router.post("/tick")
def tick(body: TickIn, reg: Reg, who: Admin) -> Dict:
    """Move the registry date forward, reassess what time changed, then notify subjects whose
    objection or repair application passed its deadline undecided, and escalate the cases
    near their deadline to their authority."""
    report, sweep = advance(reg, body.as_of, who.actor, body.escalate_days)
    return {
        "previous": report.previous.isoformat(),
        "as_of": report.as_of.isoformat(),
        "subjects": report.subjects,
        "list_changes": report.list_changes,
        "overdue_objections": sweep.objections,
        "overdue_repairs": sweep.repairs,
        "escalated": sweep.escalated,
    }
