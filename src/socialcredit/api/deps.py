"""Dependencies shared by the routers: the registry, the caller (key, role, purpose), paging.

A caller presents ``Authorization: Bearer <key>``; the key's SHA-256 names an active principal.
Each route states the roles it admits (``caller(...)``); ``PUBLIC`` admits anonymous callers.
A resolved key is cached for a few seconds (``ApiSettings.auth_cache_seconds``), so a revoked
key stops working within that time (at once when revoked through the API).
"""

from __future__ import annotations

import pathlib
import threading
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar

from fastapi import Depends, Path, Query, Request, Response
from fastapi.dependencies.models import Dependant
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.security import HTTPBearer
from pydantic import StringConstraints, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.routing import BaseRoute

from socialcredit.api.hygiene import header_text
from socialcredit.engine.hygiene import SINGLE_LINE_PATTERN
from socialcredit.errors import AccessDeniedError, AuthenticationError
from socialcredit.registry import Actor, Registry
from socialcredit.registry.workflows.principals import Identity, authenticate, hash_key
from socialcredit.registry.workflows.revocations import revocation_stamp

PUBLIC = "public"
ROLES = (PUBLIC, "agency", "service", "subject", "reviewer", "admin")
MAX_PAGE = 100
bearer = HTTPBearer(
    auto_error=False, description="An API key from `socialcredit principal create`."
)


class KeyCache:
    """Resolved keys by their hash, for ``ttl`` seconds (thread-safe), emptied when the
    registry's revocation signal changes (a key revoked by any process of this host)."""

    def __init__(self, ttl: float, signal: pathlib.Path) -> None:
        self.ttl, self.signal = ttl, signal
        self._found: dict[str, tuple[float, Identity | None]] = {}
        self._lock = threading.Lock()
        self._stamp = revocation_stamp(signal)

    def get(self, digest: str) -> tuple[bool, Identity | None]:
        stamp = revocation_stamp(self.signal)
        with self._lock:
            if stamp != self._stamp:
                self._found.clear()
                self._stamp = stamp
            hit = self._found.get(digest)
        if hit is None or hit[0] < time.monotonic():
            return False, None
        return True, hit[1]

    def put(self, digest: str, found: Identity | None) -> None:
        with self._lock:
            if len(self._found) > 10_000:
                self._found.clear()
            self._found[digest] = (time.monotonic() + self.ttl, found)

    def clear(self) -> None:
        with self._lock:
            self._found.clear()


def registry_of(request: Request) -> Registry:
    reg: Registry = request.app.state.registry
    return reg


async def registry(request: Request) -> Registry:
    return registry_of(request)


Reg = Annotated[Registry, Depends(registry)]


@dataclass(frozen=True)
class Caller:
    """Who calls (None: anonymous) and the audit actor for what the call does."""

    identity: Identity | None
    actor: Actor

    @property
    def role(self) -> str:
        return PUBLIC if self.identity is None else self.identity.role

    def need(self) -> Identity:
        if self.identity is None:  # pragma: no cover - guarded by caller()
            raise AuthenticationError("an API key is required")
        return self.identity


def _lookup(request: Request, key: str) -> Identity | None:
    with registry_of(request).session() as session:
        return authenticate(session, key)


async def _identify(request: Request, key: str) -> Identity:
    """The principal of ``key``: from the cache, else from the registry (in a worker thread)."""
    cache: KeyCache = request.app.state.keys
    digest = hash_key(key)
    hit, found = cache.get(digest)
    if not hit:
        found = await run_in_threadpool(_lookup, request, key)
        cache.put(digest, found)
    if found is None:
        raise AuthenticationError("unknown or revoked API key")
    return found


PURPOSE_HEADER = "x-purpose"
_PurposeText = Annotated[str, StringConstraints(max_length=200, pattern=SINGLE_LINE_PATTERN)]
_PURPOSE = TypeAdapter(_PurposeText)
_PURPOSE_DESCRIPTION = "Why the data is read or written (audited)."
# The parameter FastAPI wrote for an optional header of this type (the schema from pydantic)
_PURPOSE_PARAMETER = {
    "name": PURPOSE_HEADER,
    "in": "header",
    "required": False,
    "description": _PURPOSE_DESCRIPTION,
    "schema": TypeAdapter(_PurposeText | None).json_schema()
    | {"description": _PURPOSE_DESCRIPTION, "title": "X-Purpose"},
}


def _purpose(request: Request) -> str | None:
    """The ``X-Purpose`` header (UTF-8, one line, at most 200 characters), or None."""
    try:
        value = header_text(request, PURPOSE_HEADER)
    except UnicodeDecodeError:
        error = {"type": "string_unicode", "msg": "X-Purpose is not UTF-8 text"}
        raise RequestValidationError([{**error, "loc": ("header", PURPOSE_HEADER)}]) from None
    if value is None:
        return None
    try:
        return _PURPOSE.validate_python(value)
    except ValidationError as exc:
        errors = [{**e, "loc": ("header", PURPOSE_HEADER)} for e in exc.errors()]
        raise RequestValidationError(errors) from None


@dataclass(frozen=True)
class CallerRule:
    """A dependency admitting ``roles`` (``PUBLIC``: anyone, with or without a key), with the
    purpose recorded when the caller gives none.

    It reads the ``Authorization`` and ``X-Purpose`` headers itself (with ``bearer``'s own
    parsing). Declared as sub-dependencies, FastAPI solved them anew on every request, at about
    120 µs each time on the checks' route (more than a grouped check's database work); their
    OpenAPI entries are written by :func:`document_callers` instead.
    """

    roles: tuple[str, ...]
    purpose: str

    async def __call__(self, request: Request) -> Caller:
        why = _purpose(request) or self.purpose
        credentials = await bearer(request)
        identity = None
        if credentials is not None:
            identity = await _identify(request, credentials.credentials)
        if identity is None:
            if PUBLIC in self.roles:
                return Caller(None, Actor("anonymous", PUBLIC, why))
            raise AuthenticationError("this endpoint needs an API key (Authorization: Bearer)")
        if identity.role not in self.roles and PUBLIC not in self.roles:
            raise AccessDeniedError(
                f"a {identity.role} principal may not call this endpoint",
                {"role": identity.role, "allowed": [r for r in self.roles if r != PUBLIC]},
            )
        return Caller(identity, Actor(identity.label, identity.role, why))


def caller(*roles: str, purpose: str) -> CallerRule:
    """A dependency admitting ``roles`` (``PUBLIC``: anyone, with or without a key)."""
    return CallerRule(roles, purpose)


class AdmittedRoute(APIRoute):
    """A route that admits its callers by ``rule`` before FastAPI solves its parameters (so the
    rule's errors come first, as a dependency's would); the endpoint takes the caller with
    :func:`admitted`. For the hot routes: a dependency costs FastAPI about 60 µs per request
    here, solved anew every time. Make one with :func:`admitting`."""

    rule: ClassVar[CallerRule]

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler, rule = super().get_route_handler(), self.rule

        async def admit(request: Request) -> Response:
            request.state.caller = await rule(request)
            return await handler(request)

        return admit


def admitting(rule: CallerRule) -> type[AdmittedRoute]:
    """The route class admitting callers by ``rule`` (an ``APIRouter``'s ``route_class``)."""
    return type("AdmittedRoute", (AdmittedRoute,), {"rule": rule})


def admitted(request: Request) -> Caller:
    """The caller an :class:`AdmittedRoute` admitted."""
    found = request.state.caller
    assert isinstance(found, Caller)
    return found


def _has_caller(dependant: Dependant) -> bool:
    return isinstance(dependant.call, CallerRule) or any(
        _has_caller(d) for d in dependant.dependencies
    )


def document_callers(schema: dict[str, Any], routes: Sequence[BaseRoute]) -> dict[str, Any]:
    """Document the headers a :class:`CallerRule` reads on every route that has one: the
    bearer key (``security``) and ``X-Purpose`` (a header parameter)."""
    paths = schema.get("paths", {})
    for route in iter_route_contexts(routes):
        original = route.original_route
        if not isinstance(original, APIRoute):
            continue
        if not isinstance(original, AdmittedRoute) and not _has_caller(route.dependant):
            continue
        for method in route.methods or ():
            operation = paths.get(route.path_format, {}).get(method.lower())
            if operation is None:  # not in the schema
                continue
            operation["security"] = [{bearer.scheme_name: []}]
            operation["parameters"] = [_PURPOSE_PARAMETER, *operation.get("parameters", [])]
    components = schema.setdefault("components", {})
    scheme = bearer.model.model_dump(mode="json", by_alias=True, exclude_none=True)
    components.setdefault("securitySchemes", {})[bearer.scheme_name] = scheme
    return schema


RowId = Annotated[int, Path(ge=1, le=2_147_483_647, description="A row id.")]


@dataclass(frozen=True)
class Paging:
    limit: int
    offset: int


async def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page size.")] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000_000, description="Rows to skip.")] = 0,
) -> Paging:
    return Paging(limit, offset)


Page = Annotated[Paging, Depends(paging)]


def page_body(items: list[Any], total: int, paging: Paging) -> dict[str, Any]:
    """The envelope of every list: the items, the total and the next page's offset."""
    after = paging.offset + len(items)
    return {
        "items": items,
        "total": total,
        "limit": paging.limit,
        "offset": paging.offset,
        "next_offset": after if after < total else None,
    }
