"""Service providers: the decision for a subject at a service, one or many at once. The answer
is the decision with its reasons and remedies, never the subject's file. A service principal
checks only the services it is scoped to."""

from __future__ import annotations

from typing import Any, NoReturn

import orjson
from fastapi import APIRouter, Request, Response
from starlette.concurrency import run_in_threadpool

from socialcredit.api.coalesce import Coalescer
from socialcredit.api.deps import Caller, admitted, admitting, caller, registry_of
from socialcredit.api.problems import PROBLEMS
from socialcredit.api.schemas import CheckBatchIn, CheckIn
from socialcredit.api.views import CheckBatchOut, CheckOut
from socialcredit.errors import AccessDeniedError, IdentifierError
from socialcredit.identity import parse_lookup
from socialcredit.registry import Registry
from socialcredit.registry.audit import AuditEvent, append
from socialcredit.registry.reads.checks import CheckRequest, CheckResult, check_many

# The hot path: callers are admitted by the route class, not by a dependency (deps.py).
SERVICE = caller("service", purpose="point-of-service check")
router = APIRouter(
    prefix="/v1", tags=["service"], responses=PROBLEMS, route_class=admitting(SERVICE)
)


def _out_of_scope(who: Caller, checks: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (subject, service) checks at services outside the principal's scope."""
    allowed = who.need().services
    return [(subject, service) for subject, service in checks if service not in allowed]


def _refuse(reg: Registry, who: Caller, outside: list[tuple[str, str]]) -> NoReturn:
    """Refuse checks out of scope; the attempt is audited for each subject they named
    (``denied.subject.check``), as the subject's access listing shows."""
    services = sorted({service for _, service in outside})
    denied = [_denied(subject, services) for subject in sorted({s for s, _ in outside})]
    with reg.session() as session, session.begin():
        append(session, who.actor, [event for event in denied if event is not None])
    allowed = ", ".join(sorted(who.need().services))
    raise AccessDeniedError(
        f"this principal checks only {allowed}; not {', '.join(services)}",
        {"services": services},
    )


def _denied(subject: str, services: list[str]) -> AuditEvent | None:
    try:
        sid = parse_lookup(subject).value
    except IdentifierError:
        return None  # no subject's data was reached
    return AuditEvent("denied.subject.check", sid, {"services": services})


def _kind(body: CheckIn) -> str | None:
    return None if body.kind is None else body.kind.value


def _request(body: CheckIn) -> CheckRequest:
    return CheckRequest(body.subject, body.service, _kind(body))


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
    if outside := _out_of_scope(who, [(body.subject, body.service)]):
        await run_in_threadpool(_refuse, registry_of(request), who, outside)
    checks: Coalescer = request.app.state.checks  # (a dependency would cost more than this)
    return _json(_out(await checks.check(body.subject, body.service, who.actor, _kind(body))))


@router.post("/checks/batch", response_model=CheckBatchOut)
async def check_batch(body: CheckBatchIn, request: Request) -> Response:
    """Up to 1,000 checks in one request, answered in order (one audit entry each)."""
    reg, who = registry_of(request), admitted(request)
    if outside := _out_of_scope(who, [(c.subject, c.service) for c in body.checks]):
        await run_in_threadpool(_refuse, reg, who, outside)
    requests = [_request(c) for c in body.checks]
    results = await run_in_threadpool(check_many, reg, requests, who.actor)
    return _json({"results": [_out(r) for r in results]})
