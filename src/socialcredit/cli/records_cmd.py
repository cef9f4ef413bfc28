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
from socialcredit.registry.writes.lifecycle import StatusChange, change_status
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


def _change(change: StatusChange, db: str | None, actor: str | None, role: str) -> None:
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, role, f"{change.action} a record")
        row = change_status(registry, change, who)
    stdout().print(
        f"{change.action}: record {row.source_id} ({row.key}) on {change.on}", markup=False
    )


def _status_command(action: str, default_role: str, help_text: str) -> None:
    """Register ``records ACTION RECORD --agency --on`` (resolve, revoke, dispute)."""

    def command(
        record: RecordArg,
        agency: AgencyOpt,
        on: OnOpt,
        db: DbOpt = None,
        actor: ActorOpt = None,
        role: RoleOpt = default_role,
    ) -> None:
        _change(StatusChange(action, agency, record, on.date()), db, actor, role)

    app.command(action, help=help_text)(command)


_status_command("resolve", "agency", "The obligation was fulfilled on --on.")
_status_command("revoke", "agency", "The decision behind the record was revoked on --on.")
_status_command("dispute", "subject", "The subject objected to the record on --on.")


@app.command("decide-dispute")
def decide_dispute(
    record: RecordArg,
    agency: AgencyOpt,
    on: OnOpt,
    outcome: Annotated[DisputeOutcome, typer.Option("--outcome", help="upheld|revoked|corrected")],
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """The objection was decided on --on with --outcome (role: reviewer)."""
    change = StatusChange("decide-dispute", agency, record, on.date(), outcome)
    _change(change, db, actor, "reviewer")
