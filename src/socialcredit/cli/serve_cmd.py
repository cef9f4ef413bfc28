"""``socialcredit serve``: the HTTP API and the portal on uvicorn."""

from __future__ import annotations

import os
import secrets
from typing import Annotated

import typer
import uvicorn

from socialcredit.api.main import ENVIRONMENT
from socialcredit.cli.output import reported_errors
from socialcredit.cli.registry_common import DbOpt, opened
from socialcredit.errors import InputError
from socialcredit.registry.settings import ENV_DATABASE_URL, RegistrySettings
from socialcredit.web.settings import ENV_SECRET, ENV_SMTP, ENV_SMTP_TO

AnchorsOpt = Annotated[
    str | None,
    typer.Option(
        "--anchors",
        envvar="SOCIALCREDIT_ANCHOR_DIR",
        help="Directory of the audit chain's signed checkpoints (enables access proofs).",
    ),
]
PublicRateOpt = Annotated[
    int,
    typer.Option(
        "--public-reads-per-minute",
        min=1,
        help="Requests a minute each client may make to /v1/public without a key.",
    ),
]
PublicBurstOpt = Annotated[
    int, typer.Option("--public-burst", min=1, help="Requests without a key a client may burst to.")
]


def _export_api_settings(anchors: str | None, rate: int, burst: int) -> None:
    """The API's settings for the workers (``socialcredit.api.main`` reads them)."""
    if anchors:
        os.environ[ENVIRONMENT["anchor_dir"]] = anchors
    os.environ[ENVIRONMENT["public_reads_per_minute"]] = str(rate)
    os.environ[ENVIRONMENT["public_burst"]] = str(burst)


def serve_command(  # noqa: PLR0913, PLR0917 - one parameter per command-line option
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes.")] = 1,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log/--no-access-log",
            help="Log each request line (paths can hold identifiers: off by default).",
        ),
    ] = False,
    smtp: Annotated[
        str | None,
        typer.Option("--smtp", help="SMTP server (HOST:PORT) that sends sign-in codes."),
    ] = None,
    smtp_to: Annotated[
        str,
        typer.Option("--smtp-to", help="A subject's address ({subject} is replaced)."),
    ] = "{subject}@notices.invalid",
    db: DbOpt = None,
    anchors: AnchorsOpt = None,
    public_rate: PublicRateOpt = 120,
    public_burst: PublicBurstOpt = 60,
) -> None:
    """Serve the HTTP API (under /v1, documented at /docs) and the portal (under /) on the
    registry at --db."""
    url = RegistrySettings.resolve(db).database_url
    with reported_errors(), opened(url):
        # refuse to start on a database that holds no registry, or with a malformed --smtp
        if smtp is not None and not smtp.rpartition(":")[2].isdigit():
            raise InputError(f"--smtp must be HOST:PORT, not {smtp!r}")
    os.environ[ENV_DATABASE_URL] = url
    _export_api_settings(anchors, public_rate, public_burst)
    os.environ.setdefault(ENV_SECRET, secrets.token_urlsafe(32))  # one for every worker
    os.environ[ENV_SMTP_TO] = smtp_to
    if smtp is not None:
        os.environ[ENV_SMTP] = smtp
    uvicorn.run(
        "socialcredit.web.main:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
    )
