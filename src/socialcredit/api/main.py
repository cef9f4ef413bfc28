"""Entry point for uvicorn workers: ``socialcredit.api.main:app_from_environment`` (factory).

The database URL comes from ``SOCIALCREDIT_DATABASE_URL`` (``socialcredit serve`` sets it), the
directory of the audit chain's signed checkpoints from ``SOCIALCREDIT_ANCHOR_DIR`` if set, and
the anonymous rate limit from ``SOCIALCREDIT_PUBLIC_READS_PER_MINUTE`` and
``SOCIALCREDIT_PUBLIC_BURST`` if set.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from socialcredit.api.app import ApiSettings, create_app
from socialcredit.registry import RegistrySettings


def settings_from_environment() -> ApiSettings:
    """The API's settings from the environment (see the module's docstring)."""
    anchors = os.environ.get("SOCIALCREDIT_ANCHOR_DIR")
    limits = {
        name: int(value)
        for name, value in (
            ("public_reads_per_minute", os.environ.get("SOCIALCREDIT_PUBLIC_READS_PER_MINUTE")),
            ("public_burst", os.environ.get("SOCIALCREDIT_PUBLIC_BURST")),
        )
        if value
    }
    return ApiSettings(
        registry=RegistrySettings.resolve(),
        anchor_dir=None if not anchors else Path(anchors),
        **limits,
    )


def app_from_environment() -> FastAPI:
    return create_app(settings_from_environment())
