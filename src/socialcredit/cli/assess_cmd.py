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
from socialcredit.engine import Record, assess, resolve_organisation_codes
from socialcredit.engine.orgcodes import credit_codes
from socialcredit.errors import IdentifierError, InputError, RecordError
from socialcredit.identity import (
    IdentifierKind,
    OrganisationCodeIndex,
    SubjectId,
    SubjectKind,
    is_organisation_code_key,
    parse_lookup,
    parse_subject,
)
from socialcredit.identity.embedding import LOOK_UP_BY
from socialcredit.ingest import LineProblem, RecordBatch, read_records
from socialcredit.ingest.files import rows
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
OrganisationsOpt = Annotated[
    Path | None,
    typer.Option(
        "--organisations",
        help="Text file of known credit codes, one a line: records filed under an "
        "organisation code resolve to them too.",
    ),
]
SkipOpt = Annotated[
    bool,
    typer.Option("--skip-invalid", help="Assess the valid records; still list the invalid ones."),
]


def _lines_of(path: Path, ids: set[str]) -> dict[str, int]:
    """The line numbers of the records ``ids`` (unique in a valid file), read again."""
    found = {}
    for number, row in rows(path):
        if isinstance(row, dict) and str(row.get("id")).strip() in ids:
            found[str(row.get("id")).strip()] = number
    return found


def read_credit_codes(path: Path | None) -> set[str]:
    """The credit codes listed in ``path``, one a line (blank lines and ``#`` comments
    skipped); an invalid one is an input error naming its line."""
    if path is None:
        return set()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path}: {exc}", {"path": str(path)}) from exc
    found = set()
    for number, line in enumerate(text.splitlines(), start=1):
        code = line.split("#", 1)[0].strip()
        if not code:
            continue
        try:
            found.add(parse_subject(code, IdentifierKind.USCC).value)
        except IdentifierError as exc:
            raise InputError(f"{path}:{number}: {exc.message}", {"path": str(path)}) from exc
    return found


def resolved(batch: RecordBatch, path: Path, known: set[str] | None = None) -> RecordBatch:
    """The batch with the records filed under an organisation code filed under the one credit
    code of the file (or of ``known``) that embeds it; those that none or several embed become
    problems."""
    resolution = resolve_organisation_codes(batch.records, known or set())
    if not resolution.refused:
        return RecordBatch(list(resolution.records), batch.problems, batch.warnings, batch.lines)
    lines = _lines_of(path, {record.id for _, record, _ in resolution.refused})
    refused = [
        LineProblem(str(path), lines.get(record.id, 0), record.id, (reason,))
        for _, record, reason in resolution.refused
    ]
    problems = sorted([*batch.problems, *refused], key=lambda p: p.line)
    return RecordBatch(list(resolution.records), problems, batch.warnings, batch.lines)


def _report_batch(batch: RecordBatch, skip_invalid: bool) -> None:
    err = stderr()
    for warning in batch.warnings:
        err.print(f"warning: {warning.as_problem().render()}", markup=False)
    if not batch.problems:
        return
    problems = [p.as_problem() for p in batch.problems]
    message = f"{len(problems)} of {batch.lines} record line(s) are invalid"
    if not skip_invalid:
        raise RecordError(message + " (use --skip-invalid to assess the rest)", problems)
    err.print(message + "; they were skipped:", style="yellow", markup=False)
    for problem in problems:
        err.print(problem.render(), markup=False)


def _subjects(batch: RecordBatch, subject: str | None, known: set[str]) -> list[SubjectId]:
    """The subjects to assess, with the kind their records are filed as (an all-digit credit
    code is an organisation): the one named (18 digits read by both kinds' check characters,
    an organisation code as the credit code of the file embedding it), or all."""
    if subject is None:
        kinds = {r.subject: SubjectKind(r.subject_kind) for r in batch.records}
        return [SubjectId(kinds[s], s) for s in sorted(kinds)]
    sid = parse_lookup(subject)
    if is_organisation_code_key(sid.value, sid.kind):
        index = OrganisationCodeIndex.of(credit_codes(batch.records) | known)
        return [SubjectId(sid.kind, index.credit_code_of(sid.value, LOOK_UP_BY))]
    return [sid]


def run_assess(
    policies: PolicySet, batch: RecordBatch, subjects: list[SubjectId], day: date, as_json: bool
) -> None:
    out = stdout()
    by_subject: dict[str, list[Record]] = defaultdict(list)
    for record in batch.records:  # group once: each subject reads only its own records
        by_subject[record.subject].append(record)
    for sid in subjects:
        assessment = assess(policies, by_subject[sid.value], sid, day)
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
    organisations: OrganisationsOpt = None,
) -> None:
    """Assess subjects: scores with contributions, list memberships and decisions."""
    with reported_errors():
        if not policy:
            raise InputError("give at least one --policy file or directory")
        policies = load_policies(policy)
        known = read_credit_codes(organisations)
        batch = resolved(read_records(records, policies), records, known)
        _report_batch(batch, skip_invalid)
        subjects = _subjects(batch, subject, known)
        if not subjects:
            stderr().print("no subject to assess: the records file holds no valid record")
            raise typer.Exit(EXIT_REFUSED)
        run_assess(policies, batch, subjects, as_of.date(), as_json)
