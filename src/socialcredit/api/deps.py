"""Dependencies shared by the routers: the registry, the caller (key, role, purpose), paging.

A caller presents ``Authorization: Bearer <key>``; the key's SHA-256 names an active principal.
Each route states the roles it admits (``caller(...)``); ``PUBLIC`` admits anonymous callers.
A resolved key is cached for a few seconds (``ApiSettings.auth_cache_seconds``), so a revoked
key stops working within that time (at once when revoked through the API).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from socialcredit.errors import AccessDeniedError, AuthenticationError
from socialcredit.registry import Actor, Registry
from socialcredit.registry.principals import Identity, authenticate, hash_key

PUBLIC = "public"
ROLES = (PUBLIC, "agency", "service", "subject", "reviewer", "admin")
MAX_PAGE = 100
bearer = HTTPBearer(
    auto_error=False, description="An API key from `socialcredit principal create`."
)


class KeyCache:
    """Resolved keys by their hash, for ``ttl`` seconds (thread-safe)."""

    def __init__(self, ttl: float) -> None:
        self.ttl = ttl
        self._found: dict[str, tuple[float, Identity | None]] = {}
        self._lock = threading.Lock()

    def get(self, digest: str) -> tuple[bool, Identity | None]:
        with self._lock:
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


def registry_date(reg: Registry) -> date:
    """The registry's date (its "today")."""
    with reg.session() as session:
        return reg.state(session).as_of


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


def caller(*roles: str, purpose: str) -> Callable[..., Awaitable[Caller]]:
    """A dependency admitting ``roles`` (``PUBLIC``: anyone, with or without a key)."""

    async def dependency(
        request: Request,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
        x_purpose: Annotated[
            str | None,
            Header(max_length=200, description="Why the data is read or written (audited)."),
        ] = None,
    ) -> Caller:
        why = x_purpose or purpose
        identity = None
        if credentials is not None:
            identity = await _identify(request, credentials.credentials)
        if identity is None:
            if PUBLIC in roles:
                return Caller(None, Actor("anonymous", PUBLIC, why))
            raise AuthenticationError("this endpoint needs an API key (Authorization: Bearer)")
        if identity.role not in roles and PUBLIC not in roles:
            raise AccessDeniedError(
                f"a {identity.role} principal may not call this endpoint",
                {"role": identity.role, "allowed": [r for r in roles if r != PUBLIC]},
            )
        return Caller(identity, Actor(identity.label, identity.role, why))

    return dependency


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
