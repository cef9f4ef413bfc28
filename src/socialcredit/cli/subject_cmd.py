"""``socialcredit subject show|accesses`` and ``socialcredit check``: audited reads."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from socialcredit.api.views import file_out
from socialcredit.cli.output import reported_errors, stdout
from socialcredit.cli.registry_common import (
    ActorOpt,
    DbOpt,
    JsonOpt,
    PurposeOpt,
    RoleOpt,
    actor_of,
    opened,
)
from socialcredit.cli.report import EFFECT_STYLE, titled_table
from socialcredit.cli.subject_report import render_assessment_body, render_decision
from socialcredit.registry.reads.checks import check
from socialcredit.registry.reads.subjectfile import SubjectFile, subject_accesses, subject_file
from socialcredit.registry.workflows.contacts import ContactSpec, set_contact

app = typer.Typer(help="A subject's file and who read it (every read is audited).")

SubjectArg = Annotated[str, typer.Argument(help="Resident identity number or credit code.")]


def _records(found: SubjectFile, console: Console) -> None:
    table = titled_table(
        "Records and their history", "record", "agency / id", "item", "decided", "history"
    )
    for row in found.records:
        events = "\n".join(f"{e.on} {e.kind}" for e in found.events.get(row.id, []))
        table.add_row(
            row.key, f"{row.agency}\n{row.source_id}", row.item, row.decided_on.isoformat(), events
        )
    console.print(table)


def _links(found: SubjectFile, console: Console) -> None:
    if not found.links:
        return
    table = titled_table(
        "Responsible-person links",
        "link",
        "agency / id",
        "organisation / person",
        "role",
        "valid",
        "history",
    )
    for row in found.links:
        events = "\n".join(f"{e.on} {e.kind}" for e in found.link_events.get(row.id, []))
        valid = f"{row.valid_from} to {row.valid_to or '(open)'}"
        table.add_row(
            row.key,
            f"{row.agency}\n{row.source_id}",
            f"{row.organisation_id}\n{row.person_id}",
            row.role,
            valid,
            events,
        )
    console.print(table)


def _notices(found: SubjectFile, console: Console) -> None:
    table = Table(title="Notices", title_justify="left", title_style="bold")
    for column in ("notice", "kind", "created", "about", "status"):
        table.add_column(column)
    for n in found.notices:
        about = n.list_id or ("" if n.record_id is None else f"r{n.record_id}")
        table.add_row(str(n.id), n.kind, n.created_on.isoformat(), about, n.status)
    console.print(table)


def _show(found: SubjectFile) -> None:
    out = stdout()
    out.print(
        Text(
            f"Registry date {found.registry_date}; assessment valid until "
            f"{found.next_change_on or 'a new record or status change'}",
            style="dim",
        )
    )
    render_assessment_body(found.assessment, out)
    _records(found, out)
    _links(found, out)
    _notices(found, out)


@app.command("show")
def show(
    subject: SubjectArg,
    db: DbOpt = None,
    actor: ActorOpt = None,
    role: RoleOpt = "operator",
    purpose: PurposeOpt = "show the subject's file",
    as_json: JsonOpt = False,
) -> None:
    """The whole file: records and links with history, scores, lists, decisions, notices."""
    with reported_errors(), opened(db) as registry:
        found = subject_file(registry, subject, actor_of(actor, role, purpose))
    if as_json:
        typer.echo(file_out(found).model_dump_json())  # the API's GET .../file
    else:
        _show(found)


@app.command("accesses")
def accesses(
    subject: SubjectArg,
    db: DbOpt = None,
    actor: ActorOpt = None,
    role: RoleOpt = "operator",
    purpose: PurposeOpt = "list who read the subject's file",
) -> None:
    """Every read of the subject's data: when, who, in which role, what and why."""
    with reported_errors(), opened(db) as registry:
        entries = subject_accesses(registry, subject, actor_of(actor, role, purpose))
    table = titled_table("Accesses", "#", "when", "who", "role", "what", "why")
    for e in entries:
        table.add_row(str(e.seq), e.at, e.actor, e.role, e.action, e.purpose)
    stdout().print(table)


@app.command("contact")
def contact(
    subject: SubjectArg,
    locale: Annotated[str, typer.Option("--locale", help="Language of notices: zh or en.")],
    email: Annotated[str | None, typer.Option("--email", help="E-mail address.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Phone number.")] = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Set the subject's own channels for notices and their language (audited)."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, "operator", "set a subject's contact channels")
        row = set_contact(registry, subject, ContactSpec(locale, email, phone), who)
    stdout().print(f"contact of {row.subject_id}: notices in {row.locale}", markup=False)


def check_command(
    subject: SubjectArg,
    service: Annotated[str, typer.Argument(help="The service, e.g. flight-booking.")],
    db: DbOpt = None,
    actor: ActorOpt = None,
    purpose: PurposeOpt = "point-of-service check",
    as_json: JsonOpt = False,
) -> None:
    """May SUBJECT use SERVICE today? The decision with reasons and remedies."""
    with reported_errors(), opened(db) as registry:
        result = check(registry, subject, service, actor_of(actor, "service", purpose))
    if as_json:
        payload = {"subject": result.subject, "service": result.service, "as_of": result.as_of}
        whole = payload | dict(result.decision)
        typer.echo(json.dumps(whole, ensure_ascii=False, default=str))
        return
    out = stdout()
    effect = result.decision["effect"]
    out.print(
        Text.assemble(
            f"{result.subject} at {service} on {result.as_of}: ",
            (effect, EFFECT_STYLE.get(effect, "")),
        )
    )
    render_decision(result.decision, out)
