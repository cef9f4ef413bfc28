"""Entry point for uvicorn workers: ``socialcredit.web.main:app_from_environment`` (factory).

The API's settings come from the environment as :mod:`socialcredit.api.main` reads them, the
portal's from ``SOCIALCREDIT_PORTAL_*`` (``socialcredit serve`` sets both).
"""

from __future__ import annotations

from fastapi import FastAPI

from socialcredit.api.main import settings_from_environment
from socialcredit.web.app import create_portal_app
from socialcredit.web.settings import PortalSettings


def app_from_environment() -> FastAPI:
    return create_portal_app(settings_from_environment(), PortalSettings.from_environment())
