"""Service providers: the decision for a subject at a service, one or many at once. The answer
is the decision with its reasons and remedies, never the subject's file. A service principal
checks only the services it is scoped to."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from socialcredit.api.coalesce import Coalescer
from socialcredit.api.deps import Caller, admitted, admitting, caller, registry_of
from socialcredit.api.problems import PROBLEMS
from socialcredit.api.schemas import CheckBatchIn, CheckIn
from socialcredit.api.views import CheckBatchOut, CheckOut
from socialcredit.errors import AccessDeniedError
from socialcredit.registry.reads.checks import CheckRequest, CheckResult, check_many

# The hot path: callers are admitted by the route class, not by a dependency (deps.py).
SERVICE = caller("service", purpose="point-of-service check")
router = APIRouter(
    prefix="/v1", tags=["service"], responses=PROBLEMS, route_class=admitting(SERVICE)
)


def _scoped(who: Caller, services: set[str]) -> None:
    allowed = who.need().services
    outside = sorted(services - allowed)
    if outside:
        raise AccessDeniedError(
            f"this principal checks only {', '.join(sorted(allowed))}; not {', '.join(outside)}",
            {"services": outside},
        )


def _out(result: CheckResult) -> dict[str, Any]:
    """The ``CheckOut`` of a result, as a plain dict (the registry's decision JSON is already
    the documented shape: validating it again per entry would double the cost of a batch)."""
    d = result.decision
    return {
        "subject": result.subject,
        "service": result.service,
        "as_of": result.as_of,
        "effect": d["effect"],
        "reasons": d["reasons"],
        "remedies": d["remedies"],
    }


def _json(body: Any) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")


# The two checks are the hot path: ``async`` handlers. A single check joins the worker's next
# group commit (api/coalesce.py); a batch runs in one worker thread (a sync handler costs
# FastAPI several thread hops per request).
@router.post("/checks", response_model=CheckOut)
async def check_one(body: CheckIn, request: Request) -> Response:
    """May this subject use this service today? The decision, reasons and remedies."""
    who = admitted(request)
    _scoped(who, {body.service})
    checks: Coalescer = request.app.state.checks  # (a dependency would cost more than this)
    return _json(_out(await checks.check(body.subject, body.service, who.actor)))


@router.post("/checks/batch", response_model=CheckBatchOut)
async def check_batch(body: CheckBatchIn, request: Request) -> Response:
    """Up to 1,000 checks in one request, answered in order (one audit entry each)."""
    reg, who = registry_of(request), admitted(request)
    _scoped(who, {c.service for c in body.checks})
    requests = [CheckRequest(c.subject, c.service) for c in body.checks]
    results = await run_in_threadpool(check_many, reg, requests, who.actor)
    return _json({"results": [_out(r) for r in results]})
