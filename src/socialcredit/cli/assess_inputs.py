"""What ``socialcredit assess`` reads besides policies: the records, resolved so that records
filed under an organisation code are filed under the credit code embedding it (of the same file
or of ``--organisations``)."""

from __future__ import annotations

from pathlib import Path

from socialcredit.engine import resolve_organisation_codes
from socialcredit.errors import IdentifierError, InputError
from socialcredit.identity import IdentifierKind, parse_subject
from socialcredit.ingest import LineProblem, RecordBatch
from socialcredit.ingest.files import rows


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
