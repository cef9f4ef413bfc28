"""Anonymous reads are rate-limited per client (a token bucket per address).

The public routes need no key, so nothing else bounds how fast one client can walk the public
lists (each page read is audited for the subjects on it). A client without a key gets
``rate`` requests a minute to ``/v1/public`` and may burst to ``burst``; past that it gets a
429 problem with ``Retry-After``. Callers with a key are accountable principals and are not
limited here. The buckets live in each worker process: with N workers a client may reach N
times the rate; a proxy in front of several hosts should limit too.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from socialcredit.api.problems import problem

PUBLIC_PREFIX = "/v1/public"
MAX_CLIENTS = 10_000
"""Buckets kept at most; the least recently seen client is forgotten first (a forgotten
client starts again with a full bucket)."""


@dataclass(frozen=True)
class RateLimit:
    per_minute: int
    burst: int


@dataclass
class _Bucket:
    tokens: float
    stamp: float


class TokenBuckets:
    """One bucket per client key; ``take`` answers the seconds to wait, or 0 to go ahead."""

    def __init__(self, limit: RateLimit, clock: Callable[[], float] = time.monotonic) -> None:
        self.limit, self.clock = limit, clock
        self.buckets: OrderedDict[str, _Bucket] = OrderedDict()

    def take(self, client: str) -> float:
        now, rate = self.clock(), self.limit.per_minute / 60.0
        bucket = self.buckets.pop(client, None) or _Bucket(float(self.limit.burst), now)
        bucket.tokens = min(self.limit.burst, bucket.tokens + (now - bucket.stamp) * rate)
        bucket.stamp = now
        self.buckets[client] = bucket
        if len(self.buckets) > MAX_CLIENTS:
            self.buckets.popitem(last=False)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return 0.0
        return (1 - bucket.tokens) / rate


class PublicRateLimit:
    """ASGI middleware applying :class:`TokenBuckets` to anonymous public requests."""

    def __init__(self, app: ASGIApp, limit: RateLimit) -> None:
        self.app, self.buckets = app, TokenBuckets(limit)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _anonymous_public(scope):
            client = scope.get("client")
            wait = self.buckets.take(client[0] if client else "?")
            if wait > 0:
                detail = "too many requests without a key: slow down or use an API key"
                response = problem(Request(scope), 429, "rate-limited", detail, {})
                response.headers["Retry-After"] = str(math.ceil(wait))
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _anonymous_public(scope: Scope) -> bool:
    if not str(scope["path"]).startswith(PUBLIC_PREFIX):
        return False
    return not any(name == b"authorization" for name, _ in scope.get("headers", ()))
