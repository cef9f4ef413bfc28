"""Settings of the portal: the cookie secret, cookie lifetimes, the SMTP server that carries
one-time sign-in codes and the largest upload. Unknown keys are refused.

``socialcredit serve`` passes them to its workers in the environment (``from_environment``):
the secret is generated once per server when none is given, so every worker shares it.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

ENV_SECRET = "SOCIALCREDIT_PORTAL_SECRET"
ENV_SMTP = "SOCIALCREDIT_PORTAL_SMTP"
ENV_SMTP_TO = "SOCIALCREDIT_PORTAL_SMTP_TO"
ENV_INSECURE = "SOCIALCREDIT_PORTAL_INSECURE_COOKIES"
DEFAULT_RECIPIENT = "{subject}@notices.invalid"


class PortalSettings(BaseModel):
    """The portal's settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    secret: str = Field(min_length=32, description="Key that signs the portal's cookies.")
    smtp_host: str | None = Field(default=None, description="SMTP server for sign-in codes.")
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_to: str = Field(
        default=DEFAULT_RECIPIENT,
        description="A subject's address, as for notices ({subject} is replaced).",
    )
    secure_cookies: bool = Field(default=True, description="Cookies only over HTTPS.")
    session_minutes: int = Field(default=30, ge=1, le=24 * 60)
    code_minutes: int = Field(default=10, ge=1, le=60)
    max_upload_bytes: int = Field(default=5_000_000, ge=1_000, le=500_000_000)

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None) -> PortalSettings:
        """Settings from ``SOCIALCREDIT_PORTAL_*`` (a fresh random secret when none is set)."""
        environ = os.environ if env is None else env
        smtp = environ.get(ENV_SMTP)
        host, _, port = (smtp or "").rpartition(":")
        return cls(
            secret=environ.get(ENV_SECRET) or secrets.token_urlsafe(32),
            smtp_host=host or None,
            smtp_port=int(port) if smtp else 25,
            smtp_to=environ.get(ENV_SMTP_TO) or DEFAULT_RECIPIENT,
            secure_cookies=environ.get(ENV_INSECURE) != "1",
        )
