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
from socialcredit.ingest.files import rows
from socialcredit.registry.writes.linksubmit import submit_link_lines
from socialcredit.registry.writes.submit import Submission, SubmitReport

app = typer.Typer(help="Submit responsible-person links to the registry.")


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
    agency: Annotated[
        str,
        typer.Option(
            "--agency",
            help="The agency: exactly the `authority` of its items; its kind of authority "
            "decides the roles it may establish.",
        ),
    ],
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
