"""``socialcredit links ...``: submit responsible-person links between organisations and
persons."""

from __future__ import annotations

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
from socialcredit.registry.workflows.status import decide_link_dispute, dispute_link
from socialcredit.registry.writes.linksubmit import submit_link_lines
from socialcredit.registry.writes.submit import Submission, SubmitReport

app = typer.Typer(help="Submit responsible-person links to the registry and contest them.")

AgencyOpt = Annotated[
    str,
    typer.Option(
        "--agency",
        help="The agency: exactly the `authority` of its items; its kind of authority decides "
        "the roles it may establish.",
    ),
]
LinkArg = Annotated[str, typer.Argument(help="The agency's link id.")]


def _summary(report: SubmitReport, path: Path) -> None:
    err = stderr()
    for outcome in report.outcomes:
        for warning in outcome.warnings:
            err.print(f"warning: {path}:{outcome.line}: {warning}", markup=False)
    for outcome in report.refused:
        label = f"link {outcome.record_id!r}: " if outcome.record_id else ""
        err.print(
            f"{path}:{outcome.line}: [link] {label}" + "; ".join(outcome.reasons), markup=False
        )
    table = Table(title="Links", title_justify="left")
    table.add_column("outcome")
    table.add_column("lines", justify="right")
    for status in ("registered", "unchanged", "refused"):
        table.add_row(status, str(report.count(status)))
    stdout().print(table)


@app.command("submit")
def submit(
    file: Annotated[Path, typer.Argument(help="Links: .jsonl or .csv (docs/cli.md).")],
    agency: AgencyOpt,
    db: DbOpt = None,
    actor: ActorOpt = None,
    role: RoleOpt = "agency",
    purpose: PurposeOpt = "submit links",
) -> None:
    """Submit links; valid lines are stored, refused lines listed; exit 1 if any refused."""
    with reported_errors(), opened(db) as registry:
        lines = list(rows(file))
        who = actor_of(actor, role, purpose)
        with progress_bar("submitting", len(lines)) as advance:
            report = submit_link_lines(registry, lines, Submission(agency, who), advance)
    _summary(report, file)
    if report.refused:
        raise typer.Exit(EXIT_REFUSED)


@app.command("dispute")
def dispute_command(
    link: LinkArg,
    agency: AgencyOpt,
    grounds: Annotated[str, typer.Option("--grounds", help="Why the person objects.")],
    db: DbOpt = None,
    actor: ActorOpt = None,
    role: RoleOpt = "subject",
) -> None:
    """The linked person objects to the link today, on --grounds: the objection goes to the
    queue of the authority that established it."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, role, "object to a link")
        found = dispute_link(registry, agency, link, grounds, who)
    stdout().print(
        f"objection {found.id}: link {link} disputed on {found.filed_on}, to be decided "
        f"by {found.deadline} by {found.authority}",
        markup=False,
    )


@app.command("decide-dispute")
def decide_dispute_command(
    link: LinkArg,
    agency: AgencyOpt,
    outcome: Annotated[DisputeOutcome, typer.Option("--outcome", help="upheld|revoked")],
    reason: Annotated[str, typer.Option("--reason", help="Why: stored and notified.")],
    db: DbOpt = None,
    actor: ActorOpt = None,
) -> None:
    """Decide the link's pending objection today with --outcome and --reason (role:
    reviewer); revoked ends the link today."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, "reviewer", "decide an objection")
        found = decide_link_dispute(registry, agency, link, outcome, reason, who)
    stdout().print(f"objection {found.id}: {found.outcome} on {found.decided_on}", markup=False)
