"""Routes for every caller: health and who am I."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from socialcredit.api.deps import Caller, Reg, caller
from socialcredit.api.problems import PROBLEMS

router = APIRouter(prefix="/v1", tags=["common"], responses=PROBLEMS)
Anyone = Annotated[Caller, Depends(caller("public", purpose="health"))]
Known = Annotated[
    Caller,
    Depends(caller("agency", "service", "subject", "reviewer", "admin", purpose="identity")),
]


@router.get("/health", tags=["public"])
def health(reg: Reg, who: Anyone) -> dict[str, Any]:
    """The service is up and the registry answers; its date."""
    return {"status": "ok", "registry_date": reg.today().isoformat()}


@router.get("/me")
def me(who: Known) -> dict[str, Any]:
    """The calling principal: name, role and scope."""
    identity = who.need()
    return {
        "id": identity.id,
        "name": identity.name,
        "role": identity.role,
        "authority": identity.authority,
        "services": sorted(identity.services),
        "subject": identity.subject,
    }
