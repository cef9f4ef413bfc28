"""``socialcredit principal create|list|revoke``: who may call the HTTP API."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.output import reported_errors, stdout
from socialcredit.cli.registry_common import ActorOpt, DbOpt, actor_of, opened
from socialcredit.registry.workflows.principals import (
    PrincipalSpec,
    create_principal,
    list_principals,
    revoke_principal,
)


class Role(StrEnum):
    """The roles a principal can have (``--role``); Typer refuses any other value."""

    AGENCY = "agency"
    SERVICE = "service"
    SUBJECT = "subject"
    REVIEWER = "reviewer"
    ADMIN = "admin"


app = typer.Typer(help="Principals of the HTTP API and their keys.", no_args_is_help=True)


@app.command("create")
def create(  # noqa: PLR0913, PLR0917 - one parameter per option
    name: Annotated[str, typer.Argument(help="A unique name, e.g. 'china-eastern-airlines'.")],
    role: Annotated[Role, typer.Option("--role", help="The principal's role.")],
    authority: Annotated[
        str | None,
        typer.Option(
            "--authority",
            help="agency: the catalogue authority it submits for; reviewer: the authority "
            "whose objections and repair applications it decides.",
        ),
    ] = None,
    service: Annotated[
        list[str] | None,
        typer.Option("--service", help="service: a service it may check (repeat for more)."),
    ] = None,
    subject: Annotated[
        str | None, typer.Option("--subject", help="subject: its identity number or code.")
    ] = None,
    verified_by: Annotated[
        str | None,
        typer.Option(
            "--verified-by",
            help="subject: how its identity was verified (procedure and reference).",
        ),
    ] = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Create a principal and print its API key (shown this once; only its hash is kept)."""
    spec = PrincipalSpec(name, role.value, authority, tuple(service or ()), subject, verified_by)
    with reported_errors(), opened(db) as registry:
        row, key = create_principal(
            registry, spec, actor_of(actor, "admin", "create an API principal")
        )
    typer.echo(f"principal {row.id} {row.name!r} ({row.role}) created; its key (shown once):")
    typer.echo(key)


@app.command("list")
def list_command(db: DbOpt = None) -> None:
    """Every principal: id, name, role, scope, key prefix, created, revoked."""
    with reported_errors(), opened(db) as registry:
        rows, _ = list_principals(registry, 1_000_000, 0)
    table = Table(title="Principals", title_justify="left", title_style="bold")
    for column in ("id", "name", "role", "scope", "key", "created", "revoked"):
        table.add_column(column, overflow="fold")
    for r in rows:
        scope = r.authority or ", ".join(r.services or []) or r.subject_id or ""
        revoked = "" if r.revoked_at is None else r.revoked_at.isoformat(timespec="seconds")
        created = r.created_at.isoformat(timespec="seconds")
        table.add_row(str(r.id), r.name, r.role, scope, f"{r.key_prefix}…", created, revoked)
    stdout().print(table)


@app.command("revoke")
def revoke(
    principal_id: Annotated[int, typer.Argument(help="The principal's id (see list).")],
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Revoke a principal's key (a running server stops accepting it within seconds)."""
    with reported_errors(), opened(db) as registry:
        row = revoke_principal(
            registry, principal_id, actor_of(actor, "admin", "revoke an API principal")
        )
    typer.echo(f"principal {row.id} {row.name!r} revoked")
