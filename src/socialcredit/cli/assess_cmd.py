"""``socialcredit assess``: evaluate subjects on a date under loaded policies."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer

from socialcredit.cli.output import EXIT_REFUSED, reported_errors, stderr, stdout
from socialcredit.cli.report import render_assessment
from socialcredit.engine import Record, assess
from socialcredit.engine.links import Link
from socialcredit.errors import InputError, RecordError
from socialcredit.identity import parse_subject
from socialcredit.ingest import RecordBatch, read_records
from socialcredit.ingest.links import LinkBatch, read_links
from socialcredit.policy import PolicySet, load_policies

PolicyOpt = Annotated[
    list[Path],
    typer.Option("--policy", "-p", help="Policy file or directory; repeat for several."),
]
RecordsOpt = Annotated[Path, typer.Option("--records", "-r", help="Records: .jsonl or .csv.")]
AsOfOpt = Annotated[
    datetime, typer.Option("--as-of", formats=["%Y-%m-%d"], help="Assessment date, YYYY-MM-DD.")
]
SubjectOpt = Annotated[
    str | None, typer.Option("--subject", "-s", help="Only this subject (ID or credit code).")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="One JSON object per subject per line.")]
LinksOpt = Annotated[
    Path | None,
    typer.Option(
        "--links",
        help="Links between organisations and persons (.jsonl or .csv): a listed "
        "organisation's measures reach the persons linked to it in a role they name.",
    ),
]
SkipOpt = Annotated[
    bool,
    typer.Option("--skip-invalid", help="Assess the valid records; still list the invalid ones."),
]


def _report_batch(batch: RecordBatch | LinkBatch, skip_invalid: bool, what: str = "record") -> None:
    err = stderr()
    for warning in batch.warnings:
        err.print(f"warning: {warning.as_problem().render()}", markup=False)
    if not batch.problems:
        return
    problems = [p.as_problem() for p in batch.problems]
    message = f"{len(problems)} of {batch.lines} {what} line(s) are invalid"
    if not skip_invalid:
        raise RecordError(message + " (use --skip-invalid to assess the rest)", problems)
    err.print(message + "; they were skipped:", style="yellow", markup=False)
    for problem in problems:
        err.print(problem.render(), markup=False)


def _subjects(batch: RecordBatch, links: list[Link], subject: str | None) -> list[str]:
    """The subject asked for, or every subject of the records and every linked person."""
    if subject is not None:
        return [parse_subject(subject).value]
    return sorted({r.subject for r in batch.records} | {k.person for k in links})


def run_assess(
    policies: PolicySet,
    batch: RecordBatch,
    subjects: list[str],
    day: date,
    as_json: bool,
    links: list[Link] | None = None,
) -> None:
    out = stdout()
    by_subject: dict[str, list[Record]] = defaultdict(list)
    for record in batch.records:  # group once: each subject reads only its own records
        by_subject[record.subject].append(record)
    by_person: dict[str, list[Link]] = defaultdict(list)
    for link in links or ():
        by_person[link.person].append(link)
    for sid in subjects:
        own = by_person[sid]
        organisations = sorted({k.organisation for k in own})
        records = [r for s in (sid, *organisations) for r in by_subject[s]]
        assessment = assess(policies, records, sid, day, links=own)
        if as_json:
            typer.echo(json.dumps(assessment.to_dict(), ensure_ascii=False, sort_keys=False))
        else:
            render_assessment(assessment, out)


def assess_command(  # noqa: PLR0913, PLR0917 - one parameter per command-line option
    policy: PolicyOpt,
    records: RecordsOpt,
    as_of: AsOfOpt,
    subject: SubjectOpt = None,
    as_json: JsonOpt = False,
    skip_invalid: SkipOpt = False,
    links: LinksOpt = None,
) -> None:
    """Assess subjects: scores with contributions, list memberships and decisions."""
    with reported_errors():
        if not policy:
            raise InputError("give at least one --policy file or directory")
        policies = load_policies(policy)
        batch = read_records(records, policies)
        _report_batch(batch, skip_invalid)
        linked = LinkBatch() if links is None else read_links(links)
        _report_batch(linked, skip_invalid, "link")
        subjects = _subjects(batch, linked.links, subject)
        if not subjects:
            stderr().print("no subject to assess: the records file holds no valid record")
            raise typer.Exit(EXIT_REFUSED)
        run_assess(policies, batch, subjects, as_of.date(), as_json, linked.links)
