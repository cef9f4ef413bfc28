"""Entry point for uvicorn workers: ``socialcredit.web.main:app_from_environment`` (factory).

The database URL comes from ``SOCIALCREDIT_DATABASE_URL`` and the portal's settings from
``SOCIALCREDIT_PORTAL_*`` (``socialcredit serve`` sets both).
"""

from __future__ import annotations

from fastapi import FastAPI

from socialcredit.api.app import ApiSettings
from socialcredit.registry import RegistrySettings
from socialcredit.web.app import create_portal_app
from socialcredit.web.settings import PortalSettings


def app_from_environment() -> FastAPI:
    api = ApiSettings(registry=RegistrySettings.resolve())
    return create_portal_app(api, PortalSettings.from_environment())
