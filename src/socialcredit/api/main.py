"""Entry point for uvicorn workers: ``socialcredit.api.main:app_from_environment`` (factory).

The database URL comes from ``SOCIALCREDIT_DATABASE_URL`` (``socialcredit serve`` sets it).
"""

from __future__ import annotations

from fastapi import FastAPI

from socialcredit.api.app import ApiSettings, create_app
from socialcredit.registry import RegistrySettings


def app_from_environment() -> FastAPI:
    return create_app(ApiSettings(registry=RegistrySettings.resolve()))
