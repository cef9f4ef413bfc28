"""Signing in and out: a one-time code sent to the subject's address through the registry's
SMTP notice path (the address notices go to), or an API key of any principal; then the desk of
the signed-in role. Every POST carries the form's CSRF token."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import Form, Request, Response
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse

from socialcredit.api.deps import registry_of
from socialcredit.errors import AuthenticationError, SocialCreditError
from socialcredit.identity import parse_subject
from socialcredit.registry import Registry
from socialcredit.registry.workflows.principals import Identity, authenticate
from socialcredit.registry.workflows.senders import SmtpSender
from socialcredit.registry.writes.notices import addressed
from socialcredit.web.pages import cookies_of, need, portal_router, render
from socialcredit.web.security import Session
from socialcredit.web.settings import PortalSettings

router = portal_router()
CODE_SUBJECT = "Your one-time sign-in code"
Text = Annotated[str, Form(max_length=200)]


class UnavailableError(SocialCreditError):
    """The server is not set up for this (no SMTP server for codes, no PDF library)."""

    code = "unavailable"
    http_status = 503


def _safe_next(target: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/desk"
    parts = urlsplit(target)
    return parts.path if not parts.netloc else "/desk"


@router.get("/sign-in")
async def sign_in(request: Request, next: str = "/desk", expired: int = 0) -> Response:
    context = {"next": _safe_next(next), "expired": bool(expired)}
    return render(request, "sign_in.html", context)


def _send_code(reg: Registry, settings: PortalSettings, subject: str, code: str) -> None:
    """Mail the code to the subject's own address and language (its contact directory entry),
    as its notices go."""
    if settings.smtp_host is None:
        raise UnavailableError("this server sends no codes (no SMTP server is set)", {})
    sender = SmtpSender(settings.smtp_host, settings.smtp_port, recipient=settings.smtp_to)
    body = {"code": code, "valid for minutes": settings.code_minutes}
    with reg.session() as session:
        notice = addressed(session, 0, subject, CODE_SUBJECT, body)
    sender.send(notice)


@router.post("/sign-in/code")
async def request_code(
    request: Request,
    subject: Text,
    csrf: Text,
    next: Text = "/desk",
) -> Response:
    """Send a one-time code to the address of ``subject`` and ask for it."""
    jar = cookies_of(request)
    jar.check_form(request, csrf)
    sid = parse_subject(subject.strip()).value
    response = render(request, "enter_code.html", {"next": _safe_next(next)})
    code = jar.new_challenge(response, sid)
    settings: PortalSettings = request.app.state.portal_settings
    await run_in_threadpool(_send_code, registry_of(request), settings, sid, code)
    return response


@router.post("/sign-in/verify")
async def verify_code(
    request: Request,
    code: Text,
    csrf: Text,
    next: Text = "/desk",
) -> Response:
    jar = cookies_of(request)
    jar.check_form(request, csrf)
    subject = jar.redeem(request, code)
    response = RedirectResponse(_safe_next(next), status_code=303)
    jar.start_session(response, Session("code", subject, None))
    return response


def _key_identity(reg: Registry, key: str) -> Identity | None:
    with reg.session() as session:
        return authenticate(session, key)


@router.post("/sign-in/key")
async def sign_in_key(
    request: Request,
    key: Text,
    csrf: Text,
    next: Text = "/desk",
) -> Response:
    jar = cookies_of(request)
    jar.check_form(request, csrf)
    identity = await run_in_threadpool(_key_identity, registry_of(request), key.strip())
    if identity is None:
        raise AuthenticationError("unknown or revoked key", {})
    response = RedirectResponse(_safe_next(next), status_code=303)
    jar.start_session(response, Session("key", identity.subject, identity.id))
    return response


@router.post("/sign-out")
async def sign_out(request: Request, csrf: Text) -> Response:
    jar = cookies_of(request)
    jar.check_form(request, csrf)
    response = RedirectResponse("/", status_code=303)
    jar.end_session(response)
    return response


DESKS = {"subject": "/me", "reviewer": "/review", "agency": "/agency"}


@router.get("/desk")
async def desk(request: Request) -> Response:
    """The signed-in visitor's start: a subject's file, the reviewer's queue, the agency's
    upload (service providers and administrators use the API)."""
    who = await need(request, "desk", "subject", "reviewer", "agency", "service", "admin")
    if who.role == "subject":
        return RedirectResponse(f"/subjects/{who.need().subject}", status_code=303)
    if who.role in DESKS:
        return RedirectResponse(DESKS[who.role], status_code=303)
    return render(request, "desk.html", {"role": who.role})


@router.get("/me")
async def me(request: Request) -> Response:
    who = await need(request, "the subject's own file", "subject")
    return RedirectResponse(f"/subjects/{who.need().subject}", status_code=303)
