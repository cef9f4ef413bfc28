"""``socialcredit records preview`` and ``records quarantine ...``: an agency's export shown
mapped before anything is stored, and the lines the registry refused, listed and resubmitted."""

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
    RoleOpt,
    actor_of,
    opened,
)
from socialcredit.errors import InputError
from socialcredit.ingest.files import rows
from socialcredit.ingest.mapped import MappedRow, open_mapped
from socialcredit.ingest.mapping_load import Mapping
from socialcredit.ingest.mapping_models import RowKind
from socialcredit.policy.policyset import PolicySet
from socialcredit.registry.store.quarantine import QuarantineLine
from socialcredit.registry.workflows.quarantine import quarantine_page, resubmit
from socialcredit.registry.workflows.uploads import mapping_file, preview_rows
from socialcredit.registry.writes.intake import RawLine, checked_for

MappingOpt = Annotated[
    Path | None,
    typer.Option("--mapping", help="The agency's mapping file (docs/mapping-format.md)."),
]
STATUSES = ("open", "resolved", "all")
quarantine_app = typer.Typer(help="The lines the registry refused: list and resubmit them.")


def _problems(row: MappedRow, found: Mapping, policies: PolicySet) -> list[str]:
    """What a submission would say of the row (a link's identifiers are checked mapping)."""
    reasons = list(row.reasons)
    if reasons or found.rows is RowKind.LINKS:
        return reasons
    checked = checked_for(row.fields, policies, found.model.mapping.agency)
    return checked.reasons + [f"warning: {w}" for w in checked.warnings]


def preview_command(
    file: Annotated[Path, typer.Argument(help="The agency's export.")],
    mapping: Annotated[Path, typer.Option("--mapping", help="The agency's mapping file.")],
    count: Annotated[int, typer.Option("--rows", min=1, help="How many rows to show.")] = 10,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """The first rows of an export mapped to records (or links), with every problem a
    submission would report; nothing is stored."""
    with reported_errors(), opened(db) as registry:
        with registry.session() as session:
            policies = registry.policies(session).policy_set
        found = mapping_file(registry, mapping, None)
        warnings, shown = preview_rows(file, found, count)
        problems = [_problems(r, found, policies) for r in shown]
    for warning in warnings:
        stderr().print(f"warning: {file}: {warning}", markup=False)
    if as_json:
        for row, found_problems in zip(shown, problems, strict=True):
            key = "record" if found.rows is RowKind.RECORDS else "link"
            body = {"line": row.line, key: row.fields, "problems": found_problems}
            stdout().print(json.dumps(body, ensure_ascii=False), markup=False, soft_wrap=True)
        return
    table = Table(title=f"{file.name} as {found.rows} ({found.model.mapping.name})")
    for column in ("line", "fields", "problems"):
        table.add_column(column)
    for row, found_problems in zip(shown, problems, strict=True):
        fields = "\n".join(f"{k}={v}" for k, v in row.fields.items())
        table.add_row(str(row.line), fields, "\n".join(found_problems) or "-")
    stdout().print(table)


def _entry_rows(found: list[QuarantineLine]) -> Table:
    table = Table(title="Quarantine", title_justify="left")
    for column in ("id", "status", "source", "line", "record", "reasons"):
        table.add_column(column)
    for q in found:
        reasons = "; ".join(str(r) for r in q.reasons)
        table.add_row(str(q.id), q.status, q.source, str(q.line), q.record_id or "-", reasons)
    return table


@quarantine_app.command("list")
def list_command(  # noqa: PLR0913, PLR0917 - one parameter per option
    agency: Annotated[str, typer.Option("--agency", help="The agency whose lines to list.")],
    status: Annotated[str, typer.Option("--status", help="open, resolved or all.")] = "open",
    limit: Annotated[int, typer.Option("--limit", min=1, max=1000)] = 100,
    offset: Annotated[int, typer.Option("--offset", min=0)] = 0,
    raw: Annotated[bool, typer.Option("--raw", help="Print each line's raw text too.")] = False,
    db: DbOpt = None,
    actor: ActorOpt = None,
    role: RoleOpt = "agency",
) -> None:
    """The agency's quarantined lines, oldest first, with their reasons (audited reads)."""
    with reported_errors(), opened(db) as registry:
        if status not in STATUSES:
            raise InputError(f"--status is one of {', '.join(STATUSES)}", {"status": status})
        who = actor_of(actor, role, "review quarantined lines")
        which = None if status == "all" else status
        page = quarantine_page(registry, agency, which, (limit, offset), who)
    stdout().print(_entry_rows(page.rows))
    if raw:
        for q in page.rows:
            stdout().print(f"{q.id}: {q.raw or ''}", markup=False, soft_wrap=True)
    stdout().print(f"{len(page.rows)} of {page.total}", markup=False)


def _corrections(ids: list[int], file: Path, mapping: Mapping | None) -> list[tuple[int, RawLine]]:
    """One corrected record per id: the lines of a records file, or the rows of an export
    through its mapping (a row the mapping refuses is refused again, with its reasons)."""
    lines: list[RawLine]
    if mapping is None:
        lines = [row for _, row in rows(file)]
    else:
        lines = [row.raw for row in open_mapped(file, mapping).rows]
    if len(lines) != len(ids):
        raise InputError(
            f"{file} holds {len(lines)} line(s) for {len(ids)} quarantined line(s): one "
            "corrected record per id, in the order of the ids",
            {"path": str(file), "lines": len(lines), "ids": len(ids)},
        )
    return list(zip(ids, lines, strict=True))


@quarantine_app.command("resubmit")
def resubmit_command(  # noqa: PLR0913, PLR0917 - one parameter per option
    ids: Annotated[list[int], typer.Argument(help="Quarantined line ids, in the file's order.")],
    agency: Annotated[str, typer.Option("--agency", help="The agency whose lines they are.")],
    file: Annotated[Path, typer.Option("--file", help="The corrected records (.jsonl/.csv).")],
    mapping: MappingOpt = None,
    db: DbOpt = None,
    actor: ActorOpt = None,
    role: RoleOpt = "agency",
) -> None:
    """Resubmit quarantined lines corrected: line k of --file corrects the k-th id. A stored
    correction resolves its line; a refused one leaves it open with the new reasons."""
    with reported_errors(), opened(db) as registry:
        who = actor_of(actor, role, "resubmit quarantined lines")
        found = None if mapping is None else mapping_file(registry, mapping, agency)
        done = resubmit(registry, agency, _corrections(ids, file, found), who)
    for item in done:
        reasons = "; ".join(item.outcome.reasons)
        stdout().print(f"{item.entry}: {item.outcome.status} {reasons}".rstrip(), markup=False)
    if any(d.outcome.status == "refused" for d in done):
        raise typer.Exit(EXIT_REFUSED)
