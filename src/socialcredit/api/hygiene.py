"""Input hygiene at the HTTP door (``engine.hygiene`` is the rule): request bodies use text
types with its patterns and limits (``api.schemas``); this module refuses control characters
in a request's path and query before any route reads them, and reads text headers as UTF-8."""

from __future__ import annotations

from urllib.parse import unquote

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from socialcredit.api.problems import problem
from socialcredit.engine.hygiene import SINGLE_LINE


class CleanInput:
    """ASGI middleware: a path or query string holding a control character (``%00`` among
    them) is a 422 problem; nothing behind it runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _unclean(scope):
            request = Request(scope)
            detail = "the path or query holds a control character"
            response = problem(request, 422, "request-invalid", detail, {})
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _unclean(scope: Scope) -> bool:
    query = unquote(scope.get("query_string", b"").decode("latin-1"), errors="replace")
    return bool(SINGLE_LINE.search(scope["path"]) or SINGLE_LINE.search(query))


def header_text(request: Request, name: str) -> str | None:
    """A header's value read as UTF-8 (HTTP carries bytes; Starlette gives them as Latin-1),
    or None when absent; bytes that are not UTF-8 raise ``UnicodeDecodeError``."""
    value = request.headers.get(name)
    return None if value is None else value.encode("latin-1").decode("utf-8")
