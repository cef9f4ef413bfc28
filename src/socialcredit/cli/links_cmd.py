"""``socialcredit links ...``: submit responsible-person links between organisations and
persons."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from socialcredit.cli.output import EXIT_REFUSED, reported_errors, stderr, stdout
from socialcredit.cli.registry_common import (
    ActorOpt,
    DbOpt,
    JsonOpt,
    PurposeOpt,
    RoleOpt,
    actor_of,
    opened,
    progress_bar,
)
from socialcredit.engine import DisputeOutcome
from socialcredit.ingest.files import rows
from socialcredit.registry.workflows.status import decide_link_dispute, dispute_link
from socialcredit.registry.workflows.submissions import SubmittedLink, agency_links
from socialcredit.registry.writes.linksubmit import submit_link_lines
from socialcredit.registry.writes.submit import Submission, SubmitReport

app = typer.Typer(
    help="Submit responsible-person links to the registry, list an agency's own and contest them."
)

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


def _link_json(found: SubmittedLink) -> str:
    row = found.row
    body = {
        "link": row.key,
        "id": row.source_id,
        "organisation": row.organisation_id,
        "person": row.person_id,
        "role": row.role,
        "valid_from": row.valid_from.isoformat(),
        "valid_to": row.valid_to.isoformat() if row.valid_to else None,
        "source": row.source,
        "authority": row.authority,
        "reference": row.reference,
        "revoked_on": row.revoked_on.isoformat() if row.revoked_on else None,
        "disputed_on": row.disputed_on.isoformat() if row.disputed_on else None,
        "events": [{"kind": e.kind, "on": e.on.isoformat()} for e in found.events],
    }
    return json.dumps(body, ensure_ascii=False)


@app.command("list")
def list_command(  # noqa: PLR0913, PLR0917 - one parameter per option
    agency: AgencyOpt,
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 100,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    db: DbOpt = None,
    actor: ActorOpt = None,
    role: RoleOpt = "agency",
    purpose: PurposeOpt = "review submitted links",
    as_json: JsonOpt = False,
) -> None:
    """The links the agency submitted, oldest first, with their events (audited reads)."""
    with reported_errors(), opened(db) as registry:
        page = agency_links(registry, agency, limit, offset, actor_of(actor, role, purpose))
    found: list[SubmittedLink] = page.rows
    if as_json:
        for link in found:
            stdout().print(_link_json(link), markup=False, soft_wrap=True)
        return
    table = Table(title="Links", title_justify="left")
    for column in ("link", "id", "organisation", "person", "role", "from", "to", "events"):
        table.add_column(column)
    for link in found:
        row = link.row
        events = ", ".join(f"{e.on} {e.kind}" for e in link.events)
        until = str(row.valid_to or "-")
        table.add_row(
            row.key,
            row.source_id,
            row.organisation_id,
            row.person_id,
            row.role,
            str(row.valid_from),
            until,
            events,
        )
    stdout().print(table)
    stdout().print(f"{len(found)} of {page.total}", markup=False)
