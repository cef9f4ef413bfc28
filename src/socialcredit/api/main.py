"""Entry point for uvicorn workers: ``socialcredit.api.main:app_from_environment`` (factory).

The database URL comes from ``SOCIALCREDIT_DATABASE_URL`` (``socialcredit serve`` sets it), the
directory of the audit chain's signed checkpoints from ``SOCIALCREDIT_ANCHOR_DIR`` if set, and
the anonymous rate limit from ``SOCIALCREDIT_PUBLIC_READS_PER_MINUTE`` and
``SOCIALCREDIT_PUBLIC_BURST`` if set.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from socialcredit.api.app import ApiSettings, create_app
from socialcredit.registry import RegistrySettings

ENVIRONMENT = {
    "anchor_dir": "SOCIALCREDIT_ANCHOR_DIR",
    "public_reads_per_minute": "SOCIALCREDIT_PUBLIC_READS_PER_MINUTE",
    "public_burst": "SOCIALCREDIT_PUBLIC_BURST",
}
"""The environment variable of each API setting ``socialcredit serve`` passes to its workers."""


def settings_from_environment() -> ApiSettings:
    """The API's settings from the environment (pydantic validates and converts them)."""
    found = {field: os.environ[name] for field, name in ENVIRONMENT.items() if os.environ.get(name)}
    return ApiSettings.model_validate({"registry": RegistrySettings.resolve(), **found})


def app_from_environment() -> FastAPI:
    return create_app(settings_from_environment())
