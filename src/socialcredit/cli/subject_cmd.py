"""``socialcredit subject show|accesses|contact|attach|attachments|attachment`` and
``socialcredit check``: audited reads, a subject's channels and its evidence."""

from __future__ import annotations

import json
from pathlib import Path
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
from socialcredit.errors import InputError
from socialcredit.identity import IdentifierKind
from socialcredit.registry.reads.checks import check
from socialcredit.registry.reads.subjectfile import SubjectFile, subject_accesses, subject_file
from socialcredit.registry.workflows.attachments import (
    NewAttachment,
    Reader,
    add_attachment,
    attachment,
    subject_attachments,
)
from socialcredit.registry.workflows.contacts import ContactSpec, set_contact

app = typer.Typer(help="A subject's file and who read it (every read is audited).")

SubjectArg = Annotated[str, typer.Argument(help="Resident identity number or credit code.")]
KindOpt = Annotated[
    IdentifierKind | None,
    typer.Option(
        "--kind",
        help="The kind of identifier SUBJECT is; needed only when 18 digits are valid as two "
        "kinds (docs/identity.md).",
    ),
]


def _said(kind: IdentifierKind | None) -> str | None:
    return None if kind is None else kind.value


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
def show(  # noqa: PLR0913, PLR0917 - one parameter per command-line option
    subject: SubjectArg,
    db: DbOpt = None,
    actor: ActorOpt = None,
    role: RoleOpt = "operator",
    purpose: PurposeOpt = "show the subject's file",
    as_json: JsonOpt = False,
    kind: KindOpt = None,
) -> None:
    """The whole file: records and links with history, scores, lists, decisions, notices."""
    with reported_errors(), opened(db) as registry:
        found = subject_file(registry, subject, actor_of(actor, role, purpose), _said(kind))
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
    kind: KindOpt = None,
) -> None:
    """Every read of the subject's data: when, who, in which role, what and why."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, role, purpose)
        entries = subject_accesses(registry, subject, who, _said(kind))
    table = titled_table("Accesses", "#", "when", "who", "role", "what", "why")
    for e in entries:
        table.add_row(str(e.seq), e.at, e.actor, e.role, e.action, e.purpose)
    stdout().print(table)


@app.command("contact")
def contact(  # noqa: PLR0913, PLR0917 - one parameter per option
    subject: SubjectArg,
    locale: Annotated[str, typer.Option("--locale", help="Language of notices: zh or en.")],
    email: Annotated[str | None, typer.Option("--email", help="E-mail address.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Phone number.")] = None,
    channel: Annotated[
        str | None, typer.Option("--channel", help="email or sms (default: e-mail if given).")
    ] = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Set the subject's own channels for notices and their language (audited)."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, "operator", "set a subject's contact channels")
        row = set_contact(registry, subject, ContactSpec(locale, email, phone, channel), who)
    stdout().print(f"contact of {row.subject_id}: notices in {row.locale}", markup=False)


CaseOpt = Annotated[int | None, typer.Option(help="The case's id.")]


@app.command("attach")
def attach(
    subject: SubjectArg,
    path: Annotated[Path, typer.Argument(help="A PDF, PNG or JPEG file.", exists=True)],
    objection: CaseOpt = None,
    repair: CaseOpt = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Attach evidence to the subject's pending --objection or --repair application (audited;
    a wrong type, a file too large or another subject's case is refused, nothing stored)."""
    cases = [(k, i) for k, i in (("objection", objection), ("repair", repair)) if i is not None]
    with reported_errors(), opened(db) as registry:
        if len(cases) != 1:
            raise InputError("name exactly one case: --objection ID or --repair ID")
        kind, case_id = cases[0]
        who = actor_of(actor, "subject", "attach evidence")
        found = NewAttachment(subject, kind, case_id, path.name, path.read_bytes())
        row = add_attachment(registry, found, who)
    stdout().print(
        f"attachment {row.id}: {row.filename} ({row.media_type}, {row.size} bytes, "
        f"sha256 {row.sha256}) on {kind} {case_id}",
        markup=False,
    )


@app.command("attachments")
def attachments(subject: SubjectArg, db: DbOpt = None) -> None:
    """The evidence the subject attached to its cases."""
    with reported_errors(), opened(db) as registry:
        rows = subject_attachments(registry, subject)
    table = titled_table("Attachments", "#", "case", "file", "type", "bytes", "sha256", "added")
    for r in rows:
        case = f"{r.case_kind} {r.case_id}"
        table.add_row(
            str(r.id), case, r.filename, r.media_type, str(r.size), r.sha256, str(r.added_on)
        )
    stdout().print(table)


@app.command("attachment")
def attachment_command(
    subject: SubjectArg,
    attachment_id: Annotated[int, typer.Argument(help="The attachment's id.")],
    out: Annotated[Path, typer.Option("--out", help="Write the file here.")],
    reviewer: Annotated[
        str | None,
        typer.Option("--reviewer", help="Read as a reviewer of this authority (audited)."),
    ] = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Write one attachment of SUBJECT's cases to --out: for the subject, or with --reviewer
    for a reviewer of the case's authority (another authority's is refused)."""
    with reported_errors(), opened(db) as registry:
        if reviewer is None:
            reader = Reader(actor_of(actor, "subject", "own evidence"), subject=subject)
        else:
            reader = Reader(actor_of(actor, "reviewer", "due-process review"), authority=reviewer)
        row = attachment(registry, attachment_id, reader)
        if reviewer is not None and row.subject_id != subject:
            raise InputError(f"attachment {attachment_id} is not of {subject}")
    out.write_bytes(row.content)
    stdout().print(f"{row.filename}: {row.size} bytes to {out}", markup=False)


def check_command(  # noqa: PLR0913, PLR0917 - one parameter per command-line option
    subject: SubjectArg,
    service: Annotated[str, typer.Argument(help="The service, e.g. flight-booking.")],
    db: DbOpt = None,
    actor: ActorOpt = None,
    purpose: PurposeOpt = "point-of-service check",
    as_json: JsonOpt = False,
    kind: KindOpt = None,
) -> None:
    """May SUBJECT use SERVICE today? The decision with reasons and remedies."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, "service", purpose)
        result = check(registry, subject, service, who, _said(kind))
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
