"""Sessions, CSRF protection and one-time sign-in codes, all in signed cookies.

Every cookie is HTTP-only and ``SameSite=Strict`` (``Secure`` unless the settings turn it off
for plain-HTTP development). A signed-in visitor holds ``sc_session``: how they signed in (a
one-time code to the subject's address, or an API key's principal) and when; it expires after
``session_minutes``. Every browser holds a random ``sc_csrf`` token; every form posts it back
signed (the double-submit pattern), and a POST without the right one is refused before anything
is read or written. A requested code lives in ``sc_challenge`` only as an HMAC, for
``code_minutes``; a wrong code burns the challenge (in this server process), so each code can be
tried once per worker.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from dataclasses import dataclass
from typing import Any, ClassVar

from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response

from socialcredit.errors import AccessDeniedError, AuthenticationError
from socialcredit.web.settings import PortalSettings

SESSION = "sc_session"
CSRF = "sc_csrf"
CHALLENGE = "sc_challenge"
CODE_DIGITS = 8
BURNT_KEPT = 100_000  # tried challenges remembered (a code lives minutes)


class CsrfError(AccessDeniedError):
    """A form came without the token of this browser (or with a forged one)."""

    code: ClassVar[str] = "csrf-invalid"


class SessionExpiredError(AuthenticationError):
    """The page needs a signed-in visitor and the session is missing or expired."""

    code: ClassVar[str] = "session-expired"


class WrongCodeError(AuthenticationError):
    """A one-time code did not match, or its challenge expired or was used."""

    code: ClassVar[str] = "code-wrong"


@dataclass(frozen=True)
class Session:
    """Who is signed in: by ``code`` (``subject`` set) or by ``key`` (``principal`` set)."""

    method: str
    subject: str | None
    principal: int | None


@dataclass(frozen=True)
class Challenge:
    subject: str
    nonce: str
    digest: str


class Cookies:
    """Signs, reads and writes the portal's cookies (one per application)."""

    def __init__(self, settings: PortalSettings) -> None:
        self.settings = settings
        self._signer = URLSafeTimedSerializer(settings.secret, salt="socialcredit-portal")
        self._burnt: set[str] = set()
        self._lock = threading.Lock()

    def _set(self, response: Response, name: str, value: str, minutes: int | None) -> None:
        response.set_cookie(
            name,
            value,
            max_age=None if minutes is None else minutes * 60,
            httponly=True,
            secure=self.settings.secure_cookies,
            samesite="strict",
            path="/",
        )

    def _load(self, request: Request, name: str, minutes: int) -> dict[str, Any] | None:
        raw = request.cookies.get(name)
        if raw is None:
            return None
        try:
            found: dict[str, Any] = self._signer.loads(raw, max_age=minutes * 60)
        except BadSignature:
            return None
        return found

    # CSRF -----------------------------------------------------------------------------------
    def browser_token(self, request: Request) -> str | None:
        token = request.cookies.get(CSRF)
        return token if token and len(token) <= 100 else None

    def ensure_browser_token(self, request: Request) -> str:
        """This browser's CSRF cookie value (a new one if it has none; set by ``remember``)."""
        token = self.browser_token(request)
        if token is None:
            token = secrets.token_urlsafe(24)
            request.state.new_csrf = token
        return token

    def remember(self, request: Request, response: Response) -> None:
        new = getattr(request.state, "new_csrf", None)
        if new is not None:
            self._set(response, CSRF, new, None)

    def form_token(self, browser: str) -> str:
        """The token a form carries: this browser's token, signed with the secret."""
        key = self.settings.secret.encode()
        return hmac.new(key, browser.encode(), hashlib.sha256).hexdigest()

    def check_form(self, request: Request, posted: str | None) -> None:
        """Refuse a POST whose form token is not this browser's (forged, missing, stale)."""
        browser = self.browser_token(request)
        if browser is None or posted is None:
            raise CsrfError("the form carries no valid security token", {})
        if not hmac.compare_digest(self.form_token(browser), posted):
            raise CsrfError("the form's security token does not match this browser", {})

    # Sessions -------------------------------------------------------------------------------
    def session(self, request: Request) -> Session | None:
        found = self._load(request, SESSION, self.settings.session_minutes)
        if found is None:
            return None
        return Session(found["method"], found.get("subject"), found.get("principal"))

    def start_session(self, response: Response, session: Session) -> None:
        body = {"method": session.method, "subject": session.subject}
        body["principal"] = session.principal  # type: ignore[assignment]
        value = self._signer.dumps(body)
        self._set(response, SESSION, value, self.settings.session_minutes)
        self._set(response, CSRF, secrets.token_urlsafe(24), None)
        response.delete_cookie(CHALLENGE, path="/")

    def end_session(self, response: Response) -> None:
        response.delete_cookie(SESSION, path="/")

    # One-time codes --------------------------------------------------------------------------
    def _digest(self, nonce: str, code: str) -> str:
        key = self.settings.secret.encode()
        return hmac.new(key, f"{nonce}:{code}".encode(), hashlib.sha256).hexdigest()

    def new_challenge(self, response: Response, subject: str) -> str:
        """A fresh code for ``subject``, its HMAC kept in a cookie; returns the code."""
        code = "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))
        nonce = secrets.token_urlsafe(16)
        body = {"subject": subject, "nonce": nonce, "digest": self._digest(nonce, code)}
        self._set(response, CHALLENGE, self._signer.dumps(body), self.settings.code_minutes)
        return code

    def challenge(self, request: Request) -> Challenge | None:
        found = self._load(request, CHALLENGE, self.settings.code_minutes)
        if found is None:
            return None
        return Challenge(found["subject"], found["nonce"], found["digest"])

    def redeem(self, request: Request, code: str) -> str:
        """The subject whose challenge ``code`` answers; a wrong code burns the challenge."""
        found = self.challenge(request)
        if found is None:
            raise WrongCodeError("no code was requested, or it expired", {})
        with self._lock:
            if found.nonce in self._burnt:
                raise WrongCodeError("this code was already tried", {})
            if len(self._burnt) > BURNT_KEPT:  # older challenges have expired by then
                self._burnt.clear()
            self._burnt.add(found.nonce)
        if not hmac.compare_digest(self._digest(found.nonce, code.strip()), found.digest):
            raise WrongCodeError("the code does not match", {})
        return found.subject
