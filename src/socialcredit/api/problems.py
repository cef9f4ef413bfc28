"""Errors as RFC 9457 problem details, in one place (after yente's ``exc.py``/``app.py``).

Every :class:`~socialcredit.errors.SocialCreditError` becomes ``application/problem+json`` with
its HTTP status, its stable ``code`` and its structured ``details``; request validation errors
(malformed JSON, unknown fields, wrong types) and plain HTTP errors (unknown path, wrong method)
get the same shape. An oversize batch is 413. Nothing else leaks: an unexpected exception is a
500 problem without its message.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from socialcredit.errors import SocialCreditError

MEDIA_TYPE = "application/problem+json"
BATCH_FIELDS = ("records", "checks")
log = logging.getLogger("socialcredit.api")


class Problem(BaseModel):
    """An RFC 9457 problem, with the package's error ``code`` and structured ``details``."""

    type: str = Field(description="A URI naming the kind of problem.")
    title: str
    status: int
    detail: str
    instance: str | None = None
    code: str = Field(description="Stable machine-readable code (socialcredit.errors).")
    details: dict[str, Any] = Field(default_factory=dict)


def _describe(status: int, description: str) -> dict[str, Any]:
    return {"description": description, "model": Problem}


PROBLEMS: dict[int | str, dict[str, Any]] = {
    400: _describe(400, "Malformed request (e.g. invalid JSON)."),
    401: _describe(401, "No API key, or an unknown or revoked one."),
    403: _describe(403, "The principal's role or scope does not allow this."),
    404: _describe(404, "Not found (or not visible to this principal)."),
    409: _describe(409, "Conflicts with the registry's state (already decided, duplicate...)."),
    413: _describe(413, "Too many entries in one batch."),
    422: _describe(422, "Invalid request content (unknown fields, invalid identifier...)."),
    429: _describe(429, "Too many requests without a key from one client (see Retry-After)."),
}


def problem(
    request: Request, status: int, code: str, detail: str, details: dict[str, Any] | None = None
) -> JSONResponse:
    body = Problem(
        type=f"urn:socialcredit:problem:{code}",
        title=code.replace("-", " ").capitalize(),
        status=status,
        detail=detail,
        instance=request.url.path,
        code=code,
        details=jsonable_encoder(details or {}),
    )
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(
        body.model_dump(), status_code=status, media_type=MEDIA_TYPE, headers=headers
    )


async def _package_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, SocialCreditError)
    return problem(request, exc.http_status, exc.code, exc.message, exc.details)


def _errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {"location": list(e.get("loc", ())), "type": e.get("type"), "message": e.get("msg")}
        for e in exc.errors()
    ]


async def _invalid_request(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _errors(exc)
    if any(e["type"] == "json_invalid" for e in errors):
        return problem(request, 400, "json-malformed", "the body is not valid JSON", {})
    oversize = [
        e
        for e in errors
        if e["type"] == "too_long" and e["location"][-1:] in ([f] for f in BATCH_FIELDS)
    ]
    if oversize:
        detail = "the batch holds too many entries; split it (see the schema's maxItems)"
        return problem(request, 413, "batch-too-large", detail, {"errors": oversize})
    detail = "; ".join(f"{'.'.join(map(str, e['location']))}: {e['message']}" for e in errors)
    return problem(request, 422, "request-invalid", detail, {"errors": errors})


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
    return problem(request, exc.status_code, code, str(exc.detail), {})


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    route = getattr(request.scope.get("route"), "path", "?")  # the template: no identifiers
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, route)
    return problem(request, 500, "internal-error", "an unexpected error occurred", {})


def problem_media_type(schema: dict[str, Any]) -> dict[str, Any]:
    """Document every error response as ``application/problem+json`` (FastAPI files a
    response model under ``application/json``), and a key as optional on public routes."""
    ref = {"$ref": "#/components/schemas/Problem"}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            if "public" in operation.get("tags", ()):  # a key is optional here
                operation["security"] = [{}, {"HTTPBearer": []}]
            for status, response in operation.get("responses", {}).items():
                if status[:1] in ("4", "5"):
                    response["content"] = {MEDIA_TYPE: {"schema": ref}}
    schemas = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    return schema


class Contain:
    """Outermost ASGI middleware: an unexpected exception becomes a 500 problem and one log
    line naming the route template, never a traceback with SQL parameters (which can hold
    identifiers: no personal data in application logs)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:
            if scope["type"] != "http" or started:
                raise
            response = await _unexpected(Request(scope), exc)
            await response(scope, receive, send)


def install(app: FastAPI) -> None:
    """Route every error through :func:`problem`."""
    app.add_exception_handler(SocialCreditError, _package_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_middleware(Contain)
