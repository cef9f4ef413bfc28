"""``socialcredit registry tick|retention|deliver|receipt|escalation-contact`` and
``socialcredit policy load``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.lazy import lazy_group
from socialcredit.cli.output import EXIT_REFUSED, reported_errors, stdout
from socialcredit.cli.registry_common import (
    ActorOpt,
    DateOpt,
    DbOpt,
    actor_of,
    as_date,
    opened,
    progress_bar,
)
from socialcredit.errors import InputError
from socialcredit.policy import load_policies
from socialcredit.registry import Registry
from socialcredit.registry.workflows.demo import by_catalogue_authority, demo_records
from socialcredit.registry.workflows.dueprocess import sweep_overdue
from socialcredit.registry.workflows.escalation import (
    ESCALATE_DAYS,
    EscalationContact,
    set_escalation_contact,
)
from socialcredit.registry.workflows.policies import load_policy_files
from socialcredit.registry.workflows.receiptlinks import receipt_tokens
from socialcredit.registry.workflows.senders import (
    ChannelSender,
    FileSender,
    KannelSender,
    SmtpSender,
)
from socialcredit.registry.writes.notices import NoticeSender, deliver
from socialcredit.registry.writes.retention import retention
from socialcredit.registry.writes.service import Receipt, record_receipt
from socialcredit.registry.writes.tick import count_due, tick

app = typer.Typer(
    help="Time, retention and notices of the registry.",
    no_args_is_help=True,
    cls=lazy_group({"rescore": "socialcredit.cli.rescore_cmd:rescore_command"}),
)


@app.command("tick")
def tick_command(
    as_of: DateOpt,
    escalate_days: Annotated[
        int,
        typer.Option(
            "--escalate-days",
            min=0,
            help="Escalate pending cases due within this many working days.",
        ),
    ] = ESCALATE_DAYS,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Move the registry to --as-of; reassess the subjects whose assessment changed; notify
    the subjects of objections and repair applications newly overdue; escalate the cases near
    their deadline to their authority."""
    with reported_errors(), opened(db) as registry:
        day = as_of.date()
        who = actor_of(actor, "system", "scheduled reassessment")
        with progress_bar("reassessing", count_due(registry, day)) as advance:
            report = tick(registry, day, who, advance)
        sweep = sweep_overdue(registry, who, escalate_days)
    stdout().print(
        f"registry date {report.previous} -> {report.as_of}: {report.subjects} subject(s) "
        f"reassessed, {report.list_changes} list entry/exit notice(s); overdue: "
        f"{sweep.objections} objection(s), {sweep.repairs} repair application(s); "
        f"{sweep.escalated} case(s) escalated",
        markup=False,
    )


@app.command("escalation-contact")
def escalation_contact_command(
    authority: Annotated[str, typer.Argument(help="The authority (catalogue text).")],
    locale: Annotated[str, typer.Option("--locale", help="Language: zh or en.")] = "zh",
    email: Annotated[str | None, typer.Option("--email", help="E-mail address.")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="Phone for SMS.")] = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Set where an authority's escalations of cases near their deadline go."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, "operator", "set an escalation contact")
        set_escalation_contact(registry, EscalationContact(authority, locale, email, phone), who)
    stdout().print(f"escalations of {authority} go to {email or phone}", markup=False)


@app.command("retention")
def retention_command(
    as_of: Annotated[
        datetime | None,
        typer.Option("--as-of", formats=["%Y-%m-%d"], help="YYYY-MM-DD (registry date)."),
    ] = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Delete records past their retention (principle 6) and report what was removed."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, "system", "retention (principle 6)")
        with progress_bar("retention", None) as advance:
            report = retention(registry, as_of_date := as_date(as_of), who, advance)
    table = Table(title=f"Retention on {as_of_date or report.as_of}", title_justify="left")
    table.add_column("item")
    table.add_column("records deleted", justify="right")
    for item, count in sorted(report.by_item.items()):
        table.add_row(item, str(count))
    out = stdout()
    out.print(table)
    out.print(
        f"{report.records} record(s) deleted, {report.links} link(s) deleted; "
        f"{report.subjects} subject(s) left the registry; "
        f"{report.quarantine} quarantined line(s) deleted",
        markup=False,
    )


@dataclass(frozen=True)
class SenderOptions:
    """The ``deliver`` command's choice of senders."""

    to: Path | None
    smtp: str | None
    smtp_to: str
    kannel: str | None
    kannel_user: str
    kannel_password: str
    dlr_url: str | None
    sms_from: str | None = None


def _email(options: SenderOptions) -> NoticeSender:
    if options.smtp is None:
        return FileSender(options.to)
    host, _, port = options.smtp.rpartition(":")
    if not host or not port.isdigit():
        raise InputError(f"--smtp must be HOST:PORT, not {options.smtp!r}")
    return SmtpSender(host, int(port), recipient=options.smtp_to)


def _sender(registry: Registry, options: SenderOptions) -> NoticeSender:
    email = _email(options)
    if options.kannel is None:
        return email if options.smtp is None else ChannelSender(email)
    for name, url in (("--kannel", options.kannel), ("--dlr-url", options.dlr_url)):
        if url is not None and not url.startswith(("http://", "https://")):
            raise InputError(f"{name} must be an http(s) URL, not {url!r}")
    tokens = None if options.dlr_url is None else receipt_tokens(registry)
    sms = KannelSender(
        options.kannel,
        options.kannel_user,
        options.kannel_password,
        options.dlr_url,
        tokens,
        options.sms_from,
    )
    return ChannelSender(email, sms)


@app.command("deliver")
def deliver_command(  # noqa: PLR0913, PLR0917 - one parameter per option
    to: Annotated[Path | None, typer.Option("--to", help="Append notices to this file.")] = None,
    smtp: Annotated[str | None, typer.Option("--smtp", help="Send by SMTP to HOST:PORT.")] = None,
    smtp_to: Annotated[
        str, typer.Option("--smtp-to", help="Recipient; {subject} is replaced.")
    ] = "{subject}@notices.invalid",
    kannel: Annotated[
        str | None, typer.Option("--kannel", help="Kannel's sendsms URL, for SMS notices.")
    ] = None,
    kannel_user: Annotated[str, typer.Option("--kannel-user", help="sendsms user.")] = "registry",
    kannel_password: Annotated[
        str, typer.Option("--kannel-password", envvar="SOCIALCREDIT_KANNEL_PASSWORD")
    ] = "",
    dlr_url: Annotated[
        str | None,
        typer.Option("--dlr-url", help="The API's /v1/channels/sms/dlr, for delivery reports."),
    ] = None,
    sms_from: Annotated[
        str | None, typer.Option("--sms-from", help="SMS sender number (else Kannel's).")
    ] = None,
    db: DbOpt = None,
) -> None:
    """Deliver due notices from the outbox; failures stay queued and are retried later."""
    options = SenderOptions(
        to, smtp, smtp_to, kannel, kannel_user, kannel_password, dlr_url, sms_from
    )
    with reported_errors(), opened(db) as registry:
        report = deliver(registry.sessions, _sender(registry, options))
    stdout().print(
        f"{report.sent} sent, {report.failed} failed (retried later), {report.pending} pending",
        markup=False,
    )
    if report.failed:
        raise typer.Exit(EXIT_REFUSED)


@app.command("receipt")
def receipt_command(
    notice: Annotated[int, typer.Argument(help="The notice's id.")],
    delivered: Annotated[
        bool,
        typer.Option(
            "--delivered/--failed", help="The channel confirmed delivery, or reported failure."
        ),
    ],
    detail: Annotated[str, typer.Option("--detail", help="The channel's own report.")] = "",
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Record the channel's receipt for a sent notice: delivery serves the record's notice; a
    failure starts substitute service (publication, complete 30 days later)."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, "operator", "record a notice receipt")
        done = record_receipt(registry, Receipt(notice, delivered, detail), who)
    served = "" if done.served_on is None else f", served on {done.served_on.isoformat()}"
    stdout().print(f"notice {done.id}: {done.status}{served}", markup=False)


def policy_load(
    paths: Annotated[list[Path], typer.Argument(help="Policy files or directories.")],
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Store policy versions in the registry (validated) and reassess every subject."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, "operator", "load policies")
        with progress_bar("reassessing", None) as advance:
            loaded = load_policy_files(registry, paths, who, advance)
    for p in loaded:
        state = "loaded" if p.changed else "unchanged"
        stdout().print(f"{state}  {p.policy_id} {p.version} sha256:{p.sha256}", markup=False)


def _lines(path: Path) -> list[str]:
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@app.command("demo-data")
def demo_data(
    out: Annotated[Path, typer.Option("--out", help="Directory for the record files.")],
    subjects: Annotated[int, typer.Option("--subjects", help="Number of subjects.")] = 3000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 1,
    policy: Annotated[
        list[Path] | None, typer.Option("--policy", help="Policies (default policies/examples).")
    ] = None,
    until: Annotated[
        datetime,
        typer.Option(
            "--until",
            formats=["%Y-%m-%d"],
            help="Records are decided before this date (a registry refuses later decisions).",
        ),
    ] = datetime(2025, 6, 1),
    include: Annotated[
        list[Path] | None,
        typer.Option("--include", help="Also these JSON Lines records, with their agencies."),
    ] = None,
) -> None:
    """Write deterministic example records, one JSON Lines file per agency."""
    with reported_errors():
        policies = load_policies(policy or [Path("policies/examples")])
        out.mkdir(parents=True, exist_ok=True)
        index = []
        extra = [json.loads(line) for path in include or [] for line in _lines(path)]
        generated = demo_records(policies, subjects, seed, until.date())
        grouped = by_catalogue_authority(policies, [*generated, *extra])
        for number, (agency, records) in enumerate(sorted(grouped.items()), start=1):
            path = out / f"agency-{number:02d}.jsonl"
            path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
            index.append(f"{path}\t{agency}\n")
        (out / "agencies.tsv").write_text("".join(index), encoding="utf-8")
    total = sum(len(r) for r in grouped.values())
    stdout().print(f"{total} records of {subjects} subjects in {len(grouped)} files", markup=False)
