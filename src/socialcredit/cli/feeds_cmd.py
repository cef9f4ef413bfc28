"""``socialcredit feeds export|verify|deliver|webhook|dead-letter``: feeds of decision changes
to service providers (docs/feeds.md)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.output import EXIT_REFUSED, reported_errors, stdout
from socialcredit.cli.registry_common import ActorOpt, DbOpt, JsonOpt, actor_of, opened
from socialcredit.registry.anchorkeys import load_private_key, load_public_key
from socialcredit.registry.reads.feed import provider_named
from socialcredit.registry.workflows.feedexport import ExportRequest, export, verify
from socialcredit.registry.workflows.webhookdelivery import DeliverOptions, deliver
from socialcredit.registry.workflows.webhooks import (
    add_webhook,
    dead_letters,
    redeliver,
    remove_webhook,
    webhooks,
)

app = typer.Typer(help="Feeds of decision changes to service providers.", no_args_is_help=True)
webhook_app = typer.Typer(help="Providers' webhook endpoints.", no_args_is_help=True)
dead_app = typer.Typer(help="Deliveries that failed every attempt.", no_args_is_help=True)
app.add_typer(webhook_app, name="webhook")
app.add_typer(dead_app, name="dead-letter")

ProviderOpt = Annotated[
    str, typer.Option("--provider", help="The service principal's name (`principal list`).")
]


@app.command("export")
def export_command(  # noqa: PLR0913, PLR0917 - one parameter per command-line option
    provider: ProviderOpt,
    day: Annotated[datetime, typer.Option("--day", formats=["%Y-%m-%d"], help="YYYY-MM-DD.")],
    out: Annotated[Path, typer.Option("--out", help="Directory to write the files to.")],
    key: Annotated[
        Path,
        typer.Option("--key", envvar="SOCIALCREDIT_FEED_KEY", help="Ed25519 private key (PEM)."),
    ],
    full: Annotated[
        bool, typer.Option("--full", help="A full snapshot instead of the day's changes.")
    ] = False,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Write the provider's signed file of a day: its changes, or a full snapshot (--full)."""
    with reported_errors(), opened(db) as registry:
        operator = actor_of(actor, "operator", "feed export").name
        request = ExportRequest(provider, day.date(), out, full, load_private_key(key), operator)
        done = export(registry, request)
    stdout().print(
        f"{done.lines} line(s) to {done.data}\nmanifest {done.manifest}\n"
        f"signature {done.signature}\nfeed position {done.position}",
        markup=False,
    )


@app.command("verify")
def verify_command(
    manifest: Annotated[Path, typer.Argument(help="The file's manifest (*.manifest.json).")],
    public_key: Annotated[
        Path, typer.Option("--public-key", help="The registry's Ed25519 public key (PEM).")
    ],
) -> None:
    """Check a feed file: the manifest's signature, then the data file's SHA-256 and lines."""
    with reported_errors():
        found = verify(manifest, load_public_key(public_key))
    stdout().print(
        f"verified: {found['file']} ({found['kind']}, {found['lines']} line(s), "
        f"{found['provider']}, {found['day']})",
        markup=False,
    )


@app.command("deliver")
def deliver_command(
    max_attempts: Annotated[
        int, typer.Option("--max-attempts", min=1, help="Attempts before a dead letter.")
    ] = 6,
    db: DbOpt = None,
) -> None:
    """Queue new changes to every webhook and send what is due; failures are retried later."""
    with reported_errors(), opened(db) as registry:
        report = deliver(registry, options=DeliverOptions(max_attempts=max_attempts))
    stdout().print(
        f"{report.queued} queued, {report.delivered} delivered, {report.failed} failed "
        f"(retried later), {report.dead} dead, {report.pending} pending",
        markup=False,
    )
    if report.failed or report.dead:
        raise typer.Exit(EXIT_REFUSED)


@webhook_app.command("add")
def webhook_add_command(
    provider: ProviderOpt,
    url: Annotated[str, typer.Option("--url", help="The endpoint (http or https).")],
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Register an endpoint for the provider; prints its signing secret (shown once)."""
    with reported_errors(), opened(db) as registry:
        with registry.session() as session:
            principal = provider_named(session, provider).principal
        who = actor_of(actor, "operator", "feed webhook registration")
        found = add_webhook(registry, principal, url, who)
    stdout().print(f"webhook {found.id}: {found.url}\nsecret: {found.secret}", markup=False)


@webhook_app.command("list")
def webhook_list_command(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Every registered endpoint and the feed position queued to it."""
    with reported_errors(), opened(db) as registry:
        found = webhooks(registry)
    if as_json:
        rows = [
            {"id": w.id, "principal": w.principal, "url": w.url, "position": w.position}
            for w in found
        ]
        stdout().print_json(json.dumps(rows))
        return
    table = Table("id", "principal", "url", "position", title="Webhooks", title_justify="left")
    for w in found:
        table.add_row(str(w.id), str(w.principal), w.url, str(w.position))
    stdout().print(table)


@webhook_app.command("remove")
def webhook_remove_command(
    webhook: Annotated[int, typer.Argument(help="The endpoint's id (`feeds webhook list`).")],
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Stop pushing to an endpoint; what was queued to it stays listed."""
    with reported_errors(), opened(db) as registry:
        remove_webhook(registry, webhook, actor_of(actor, "operator", "feed webhook removal"))
    stdout().print(f"webhook {webhook} removed", markup=False)


@dead_app.command("list")
def dead_list_command(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Deliveries that failed their last allowed attempt, with the last error."""
    with reported_errors(), opened(db) as registry:
        found = dead_letters(registry)
    if as_json:
        rows = [
            {"id": d.id, "webhook": d.webhook, "url": d.url, "count": d.count}
            | {"attempts": d.attempts, "last_error": d.last_error}
            for d in found
        ]
        stdout().print_json(json.dumps(rows))
        return
    table = Table("id", "webhook", "positions", "changes", "attempts", "last error")
    table.title, table.title_justify = "Dead letters", "left"
    for d in found:
        positions = f"{d.first_position}-{d.last_position}"
        cells = (str(d.id), str(d.webhook), positions, str(d.count), str(d.attempts))
        table.add_row(*cells, d.last_error or "")
    stdout().print(table)


@dead_app.command("redeliver")
def redeliver_command(
    delivery: Annotated[int, typer.Argument(help="The dead letter's id.")],
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Make a dead letter pending again; the next `feeds deliver` sends it."""
    with reported_errors(), opened(db) as registry:
        redeliver(registry, delivery, actor_of(actor, "operator", "feed redelivery"))
    stdout().print(f"delivery {delivery} is pending again", markup=False)
