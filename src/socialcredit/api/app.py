"""The FastAPI application: one router per audience under ``/v1``, problem details for every
error, OpenAPI at ``/docs`` (and ``/openapi.json``)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from types import ModuleType
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field

from socialcredit import __version__
from socialcredit.api import problems
from socialcredit.api.coalesce import Coalescer
from socialcredit.api.deps import KeyCache, document_callers
from socialcredit.api.hygiene import CleanInput
from socialcredit.api.ratelimit import PublicRateLimit, RateLimit
from socialcredit.api.routers import (
    admin,
    agency,
    agency_files,
    attachments,
    channels,
    common,
    feed,
    public,
    reviewer,
    service,
    subject,
)
from socialcredit.registry import Registry, RegistrySettings
from socialcredit.registry.anchor import AnchorStore
from socialcredit.registry.workflows.revocations import signal_path

DESCRIPTION = """\
The registry by audience: agencies submit and maintain their own records; service providers
check a subject at a service; subjects read their own file, see who read it, object and apply
for credit repair; reviewers decide; the public reads the published policies and what is public.
Authenticate with `Authorization: Bearer <key>` (keys from `socialcredit principal create`).
Errors are RFC 9457 problem details (`application/problem+json`). Every read of personal data
and every write is recorded in the registry's hash-chained audit log.
"""


# Routes are matched in order: the point-of-service checks, the hot path, come first.
ROUTERS: tuple[ModuleType, ...] = (
    *(service, feed, common, public, agency, agency_files),
    *(subject, attachments, reviewer, admin, channels),
)


class ApiSettings(BaseModel):
    """Settings of the HTTP API."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    registry: RegistrySettings
    auth_cache_seconds: float = Field(default=5.0, ge=0, le=300)
    public_reads_per_minute: int = Field(
        default=120, ge=1, le=1_000_000, description="Anonymous public requests per client."
    )
    public_burst: int = Field(
        default=60, ge=1, le=1_000_000, description="Anonymous requests a client may burst to."
    )
    anchor_dir: Path | None = Field(
        default=None,
        description="Directory of the audit chain's signed checkpoints (enables access proofs).",
    )


def create_app(settings: ApiSettings) -> FastAPI:
    """The application over the registry of ``settings`` (opened now, closed at shutdown)."""
    reg = Registry.open(settings.registry)
    checks = Coalescer(reg)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        checks.start()
        try:
            yield
        finally:
            await checks.stop()
            reg.close()

    app = FastAPI(
        title="socialcredit registry API",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # No OpenTelemetry: nothing here exports it, and asking for it costs every request.
        telemetry={"tracing": False, "metrics": False, "logs": False},
    )
    app.state.registry = reg
    app.state.checks = checks
    signal = signal_path(settings.registry.database_url)
    app.state.keys = KeyCache(settings.auth_cache_seconds, signal)
    app.state.anchors = None if settings.anchor_dir is None else AnchorStore(settings.anchor_dir)
    limit = RateLimit(settings.public_reads_per_minute, settings.public_burst)
    app.add_middleware(PublicRateLimit, limit=limit)
    app.add_middleware(CleanInput)
    problems.install(app)  # after: its containment stays the outermost middleware
    for module in ROUTERS:
        app.include_router(module.router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            schema = document_callers(schema, app.routes)
            app.openapi_schema = problems.problem_media_type(schema)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app
