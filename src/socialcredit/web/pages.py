"""Rendering: the templates, the context every page gets, the signed-in viewer, and the route
class that turns the package's errors into a page in the visitor's language.

A portal route is declared on a :class:`PortalRouter`. Its handler takes the request and returns
:func:`render`'s response; an error it raises (``SocialCreditError``, a malformed form) becomes
an error page with the error's HTTP status, nothing having been changed, and a page that needs a
signed-in visitor sends an anonymous one to the sign-in page.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.routing import APIRoute
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse

from socialcredit.api.deps import Caller, registry_of
from socialcredit.errors import (
    AccessDeniedError,
    ProblemsError,
    RequestInvalidError,
    SocialCreditError,
)
from socialcredit.registry import Actor, Registry
from socialcredit.registry.store.casework import Principal
from socialcredit.registry.workflows.principals import Identity, identity_of
from socialcredit.web.i18n import LANGUAGES, NATIVE_NAMES, Formats, choose
from socialcredit.web.security import SESSION, Cookies, SessionExpiredError
from socialcredit.web.words import N_

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
TEMPLATES.env.autoescape = True
CODE_ACTOR = "portal:one-time-code"
# Every page: not cached (it may hold personal data), not framed, no inline or foreign code
HEADERS = {
    "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def cookies_of(request: Request) -> Cookies:
    found: Cookies = request.app.state.portal_cookies
    return found


def formats(request: Request) -> Formats:
    return Formats(choose(request))


def _principal(reg: Registry, principal_id: int) -> Identity | None:
    with reg.session() as session:
        row = session.get(Principal, principal_id)
        if row is None or row.revoked_at is not None:
            return None
        return identity_of(row)


def code_identity(subject: str) -> Identity:
    """The identity of a subject signed in by a one-time code (no API principal)."""
    return Identity(0, "one-time code", "subject", None, frozenset(), subject)


async def viewer(request: Request, purpose: str) -> Caller | None:
    """The signed-in visitor as the API's caller (its actor records ``purpose``), or None."""
    found = cookies_of(request).session(request)
    if found is None:
        return None
    if found.method == "code" and found.subject is not None:
        return Caller(code_identity(found.subject), Actor(CODE_ACTOR, "subject", purpose))
    if found.principal is None:
        return None
    identity = await run_in_threadpool(_principal, registry_of(request), found.principal)
    if identity is None:
        return None
    return Caller(identity, Actor(identity.label, identity.role, purpose))


async def need(request: Request, purpose: str, *roles: str) -> Caller:
    """The signed-in visitor in one of ``roles``; else sign-in (none) or a refusal (other)."""
    found = await viewer(request, purpose)
    if found is None:
        raise SessionExpiredError("this page needs you to sign in", {})
    if found.role not in roles:
        raise AccessDeniedError(f"a {found.role} may not open this page", {"role": found.role})
    return found


def validated(model: Any, **fields: Any) -> Any:
    """``model`` of ``fields``; a violation is refused as the API refuses it (422)."""
    try:
        return model(**fields)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise RequestInvalidError(problems, {}) from None


def render(request: Request, template: str, context: dict[str, Any], status: int = 200) -> Response:
    """``template`` with the page context: language, formats, CSRF token, who is signed in."""
    jar = cookies_of(request)
    f = formats(request)
    session = jar.session(request)
    page = {
        "request": request,
        "f": f,
        "_": f.gettext,
        "ngettext": f.ngettext,
        "csrf": jar.form_token(jar.ensure_browser_token(request)),
        "signed_in": session is not None,
        "languages": [(code, NATIVE_NAMES[code]) for code in LANGUAGES],
        "switch": {code: _with_lang(request, code) for code in LANGUAGES},
    }
    response = TEMPLATES.TemplateResponse(request, template, page | context, status_code=status)
    jar.remember(request, response)
    if "lang" in request.query_params and f.language == request.query_params["lang"]:
        response.set_cookie("lang", f.language, max_age=365 * 86400, samesite="lax", path="/")
    response.headers.update(HEADERS)
    return response


def _with_lang(request: Request, language: str) -> str:
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "lang"]
    params.append(("lang", language))
    query = "&".join(f"{quote(k)}={quote(v)}" for k, v in params)
    return f"{request.url.path}?{query}"


# The heading and explanation of each error, by its code (translated in the catalogues)
ERROR_TEXTS: dict[str, tuple[str, str]] = {
    "not-found": (N_("Not found"), N_("There is nothing here under this name or code.")),
    "access-denied": (
        N_("Not yours to see"),
        N_("You may open only your own file. The attempt has been recorded in the audit log."),
    ),
    "unauthenticated": (N_("Please sign in"), N_("This page needs you to sign in.")),
    "session-expired": (
        N_("Your session has ended"),
        N_("For your protection, sessions end after a while. Please sign in again."),
    ),
    "csrf-invalid": (
        N_("The form could not be accepted"),
        N_(
            "The form's security token was missing or wrong, so nothing was changed. "
            "Please reload the page and try again."
        ),
    ),
    "code-wrong": (
        N_("The code is not right"),
        N_("The code was wrong, already used or expired. Please ask for a new code."),
    ),
    "too-large": (N_("The file is too large"), N_("Please upload a smaller file.")),
    "identifier-invalid": (
        N_("This identifier is not valid"),
        N_("Please check the identity number or Unified Social Credit Code."),
    ),
    "request-invalid": (N_("The request was not accepted"), N_("Please check what you entered.")),
    "form-invalid": (
        N_("The form was incomplete"),
        N_("Please fill in every field and try again."),
    ),
    "registry-error": (
        N_("This cannot be done now"),
        N_("The registry refused it; see the details."),
    ),
    "already-decided": (N_("Already decided"), N_("This case has already been decided.")),
    "lifecycle-invalid": (
        N_("This cannot be done now"),
        N_("The registry refused it; see the details."),
    ),
    "unavailable": (N_("Not available here"), N_("This server cannot produce this document.")),
    "input-invalid": (
        N_("The file could not be read"),
        N_(
            "Nothing was stored. Check the file's format and encoding (and those its mapping "
            "declares), then upload it again."
        ),
    ),
    "mapping-invalid": (
        N_("The mapping could not be loaded"),
        N_("Nothing was stored. Correct the mapping at the lines shown and upload it again."),
    ),
    "mapping-foreign": (
        N_("This mapping is another agency's"),
        N_("Nothing was stored. An agency submits only with its own mappings."),
    ),
    "preview-stale": (
        N_("These are not the files previewed"),
        N_(
            "Nothing was stored: the files sent are not the ones previewed, or the preview has "
            "expired. Please upload and preview them again."
        ),
    ),
}
GENERIC = (N_("Something went wrong"), N_("Nothing was changed. Please try again later."))


def error_page(request: Request, exc: SocialCreditError | RequestValidationError) -> Response:
    if isinstance(exc, RequestValidationError):
        code, status, detail = "form-invalid", 422, ""
    else:
        code, status, detail = exc.code, exc.http_status, exc.message
    if code == "session-expired" and request.method == "GET":
        target = quote(request.url.path, safe="/")
        ended = "&expired=1" if SESSION in request.cookies else ""
        return RedirectResponse(f"/sign-in?next={target}{ended}", status_code=303)
    heading, text = ERROR_TEXTS.get(code, GENERIC)
    problems = [p.render() for p in exc.problems] if isinstance(exc, ProblemsError) else []
    context = {
        "heading": heading,
        "text": text,
        "code": code,
        "detail": detail,
        "problems": problems,
    }
    return render(request, "error.html", context, status=status)


class PageRoute(APIRoute):
    """A portal route: errors become pages (see the module's docstring)."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page(request: Request) -> Response:
            try:
                return await handler(request)
            except (SocialCreditError, RequestValidationError) as exc:
                return error_page(request, exc)

        return page


def portal_router() -> APIRouter:
    """A router of portal pages (HTML only, left out of the API's OpenAPI schema)."""
    return APIRouter(route_class=PageRoute, include_in_schema=False)
