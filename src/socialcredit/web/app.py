"""The portal mounted on the API's application: ``create_portal_app`` is what ``socialcredit
serve`` runs (the API under ``/v1``, the portal's pages under ``/``, its static files under
``/static``)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from socialcredit.api.app import ApiSettings, create_app
from socialcredit.web import (
    agency,
    basepages,
    evidence,
    mine,
    public,
    quarantine,
    review,
    signin,
)
from socialcredit.web.security import Cookies
from socialcredit.web.settings import PortalSettings

STATIC = Path(__file__).parent / "static"


def mount(app: FastAPI, settings: PortalSettings) -> FastAPI:
    """Add the portal's pages and static files to ``app`` (the API's application)."""
    app.state.portal_cookies = Cookies(settings)
    app.state.portal_settings = settings
    for module in (public, basepages, signin, mine, evidence, review, agency, quarantine):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def create_portal_app(api: ApiSettings, portal: PortalSettings) -> FastAPI:
    """The API's application with the portal mounted on it."""
    return mount(create_app(api), portal)
