"""``socialcredit records ...``: submit records and change their status."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.output import EXIT_REFUSED, reported_errors, stderr, stdout
from socialcredit.cli.registry_common import (
    ActorOpt,
    DbOpt,
    PurposeOpt,
    RoleOpt,
    actor_of,
    opened,
    progress_bar,
)
from socialcredit.engine import DisputeOutcome
from socialcredit.ingest.files import rows
from socialcredit.registry.workflows.status import decide_dispute, dispute, resolve_or_revoke
from socialcredit.registry.writes.lifecycle import StatusChange
from socialcredit.registry.writes.submit import Submission, SubmitReport, submit_lines

app = typer.Typer(help="Submit records to the registry and change their status.")

AgencyOpt = Annotated[
    str, typer.Option("--agency", help="The agency: exactly the `authority` of its items.")
]
OnOpt = Annotated[datetime, typer.Option("--on", formats=["%Y-%m-%d"], help="YYYY-MM-DD.")]
RecordArg = Annotated[str, typer.Argument(help="The agency's record id.")]


def _summary(report: SubmitReport, path: Path) -> None:
    err = stderr()
    for outcome in report.outcomes:
        for warning in outcome.warnings:
            err.print(f"warning: {path}:{outcome.line}: {warning}", markup=False)
    for outcome in report.refused:
        label = f"record {outcome.record_id!r}: " if outcome.record_id else ""
        err.print(
            f"{path}:{outcome.line}: [record] {label}" + "; ".join(outcome.reasons), markup=False
        )
    table = Table(title="Submission", title_justify="left")
    table.add_column("outcome")
    table.add_column("lines", justify="right")
    for status in ("registered", "unchanged", "refused"):
        table.add_row(status, str(report.count(status)))
    stdout().print(table)


@app.command("submit")
def submit(
    file: Annotated[Path, typer.Argument(help="Records: .jsonl or .csv.")],
    agency: AgencyOpt,
    db: DbOpt = None,
    actor: ActorOpt = None,
    role: RoleOpt = "agency",
    purpose: PurposeOpt = "submit records",
) -> None:
    """Submit records; valid lines are stored, refused lines listed; exit 1 if any refused."""
    with reported_errors(), opened(db) as registry:
        lines = list(rows(file))
        who = actor_of(actor, role, purpose)
        with progress_bar("submitting", len(lines)) as advance:
            report = submit_lines(registry, lines, Submission(agency, who), advance)
    _summary(report, file)
    if report.refused:
        raise typer.Exit(EXIT_REFUSED)


ReasonOpt = Annotated[
    str, typer.Option("--reason", help="Why: stored, shown to the subject and notified.")
]


def _status_command(action: str, help_text: str) -> None:
    """Register ``records ACTION RECORD --agency --on --reason`` (resolve, revoke)."""

    def command(  # noqa: PLR0913, PLR0917 - one parameter per option
        record: RecordArg,
        agency: AgencyOpt,
        on: OnOpt,
        reason: ReasonOpt,
        db: DbOpt = None,
        actor: ActorOpt = None,
        role: RoleOpt = "agency",
    ) -> None:
        change = StatusChange(action, agency, record, on.date())
        with reported_errors(), opened(db) as registry:
            who = actor_of(actor, role, f"{action} a record")
            row = resolve_or_revoke(registry, change, reason, who)
        stdout().print(f"{action}: record {row.source_id} ({row.key}) on {on.date()}", markup=False)

    app.command(action, help=help_text)(command)


_status_command("resolve", "The obligation was fulfilled on --on, for --reason.")
_status_command("revoke", "The decision behind the record was revoked on --on, for --reason.")


@app.command("dispute")
def dispute_command(
    record: RecordArg,
    agency: AgencyOpt,
    grounds: Annotated[str, typer.Option("--grounds", help="Why the subject objects.")],
    db: DbOpt = None,
    actor: ActorOpt = None,
    role: RoleOpt = "subject",
) -> None:
    """The subject objects to the record today (the registry's date), on --grounds: the
    objection goes to the queue of the authority that decided it."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, role, "object to a record")
        found = dispute(registry, agency, record, grounds, who)
    stdout().print(
        f"objection {found.id}: record {record} disputed on {found.filed_on}, to be decided "
        f"by {found.deadline} by {found.authority}",
        markup=False,
    )


@app.command("decide-dispute")
def decide_dispute_command(
    record: RecordArg,
    agency: AgencyOpt,
    outcome: Annotated[DisputeOutcome, typer.Option("--outcome", help="upheld|revoked|corrected")],
    reason: ReasonOpt,
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Decide the record's pending objection today with --outcome and --reason (role: reviewer)."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, "reviewer", "decide an objection")
        found = decide_dispute(registry, agency, record, outcome, reason, who)
    stdout().print(f"objection {found.id}: {found.outcome} on {found.decided_on}", markup=False)
