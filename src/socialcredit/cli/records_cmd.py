"""``socialcredit records ...``: submit records and change their status."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.output import EXIT_REFUSED, reported_errors, stderr, stdout
from socialcredit.cli.quarantine_cmd import MappingOpt, preview_command, quarantine_app
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
from socialcredit.ingest.sources import rows_estimate
from socialcredit.registry.workflows.status import decide_dispute, dispute, resolve_or_revoke
from socialcredit.registry.workflows.uploads import FileReport, Upload, mapping_file, submit_file
from socialcredit.registry.writes.lifecycle import StatusChange
from socialcredit.registry.writes.submit import Submission

app = typer.Typer(help="Submit records to the registry and change their status.")
app.add_typer(quarantine_app, name="quarantine")
app.command("preview")(preview_command)

AgencyOpt = Annotated[
    str, typer.Option("--agency", help="The agency: exactly the `authority` of its items.")
]
OnOpt = Annotated[datetime, typer.Option("--on", formats=["%Y-%m-%d"], help="YYYY-MM-DD.")]
RecordArg = Annotated[str, typer.Argument(help="The agency's record id.")]


def _summary(found: FileReport, path: Path) -> None:
    err = stderr()
    for warning in found.warnings:
        err.print(f"warning: {path}: {warning}", markup=False)
    for outcome in found.report.outcomes:
        for warning in outcome.warnings:
            err.print(f"warning: {path}:{outcome.line}: {warning}", markup=False)
    for outcome in found.report.refused:
        label = f"record {outcome.record_id!r}: " if outcome.record_id else ""
        err.print(
            f"{path}:{outcome.line}: [record] {label}" + "; ".join(outcome.reasons), markup=False
        )
    counts = found.counts()
    table = Table(title="Submission", title_justify="left")
    table.add_column("outcome")
    table.add_column("lines", justify="right")
    for status in ("stored", "unchanged", "quarantined"):
        table.add_row(status, str(counts[status]))
    out = stdout()
    out.print(table)
    out.print(f"submission {found.submission}", markup=False)
    out.print(
        f"in {counts['in']} = stored {counts['stored']} + unchanged {counts['unchanged']} + "
        f"quarantined {counts['quarantined']}",
        markup=False,
    )
    if found.quarantined:
        out.print(
            f"quarantined lines {found.quarantined[0]}..{found.quarantined[-1]}: "
            "`records quarantine list`",
            markup=False,
        )


@app.command("submit")
def submit(  # noqa: PLR0913, PLR0917 - one parameter per option
    file: Annotated[Path, typer.Argument(help="Records: .jsonl or .csv, or an agency export.")],
    agency: AgencyOpt,
    mapping: MappingOpt = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
    role: RoleOpt = "agency",
    purpose: PurposeOpt = "submit records",
) -> None:
    """Submit records; valid lines are stored, refused lines quarantined and listed; exit 1 if
    any was refused."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, role, purpose)
        found = None if mapping is None else mapping_file(registry, mapping, agency)
        total = rows_estimate(file, None if found is None else found.model.source)
        with progress_bar("submitting", total) as advance:
            upload = Upload(file, found, file.name)
            report = submit_file(registry, upload, Submission(agency, who), advance)
    _summary(report, file)
    if report.report.refused:
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
