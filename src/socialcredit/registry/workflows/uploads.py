"""Submitting a whole file, in our field names or through an agency's mapping, with every
refused line quarantined: the one path of ``records submit`` and the agency API's upload.

Counts always add up: every line read is stored, unchanged or quarantined
(:attr:`FileReport.balanced`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from socialcredit.errors import AccessDeniedError, InputError
from socialcredit.ingest.files import text_rows
from socialcredit.ingest.mapped import MappedFile, MappedRow, open_mapped, unknown_keys
from socialcredit.ingest.mapping_load import Mapping, load_mapping, parse_mapping
from socialcredit.ingest.mapping_models import RowKind
from socialcredit.registry.context import Registry
from socialcredit.registry.writes.intake import RawLine
from socialcredit.registry.writes.linksubmit import submit_link_lines
from socialcredit.registry.writes.quarantine_sink import Quarantine
from socialcredit.registry.writes.submit import Submission, SubmitReport, submit_lines


@dataclass
class FileReport:
    """A file's submission: the outcome of every line, how many were read, the warnings about
    the file, and the quarantine entries written."""

    report: SubmitReport
    submission: str
    read: int = 0
    warnings: list[str] = field(default_factory=list)
    quarantined: list[int] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "in": self.read,
            "stored": self.report.count("registered"),
            "unchanged": self.report.count("unchanged"),
            "quarantined": len(self.quarantined),
        }

    @property
    def balanced(self) -> bool:
        c = self.counts()
        return c["in"] == c["stored"] + c["unchanged"] + c["quarantined"]


def mapping_file(reg: Registry, path: Path, agency: str | None) -> Mapping:
    """The mapping at ``path`` checked against the registry's policies, for ``agency`` (None:
    for the agency it names)."""
    with reg.session() as session:
        policies = reg.policies(session).policy_set
    return _for_agency(load_mapping(path, policies), agency)


def mapping_bytes(reg: Registry, raw: bytes, name: str, agency: str) -> Mapping:
    """The same for an uploaded mapping."""
    with reg.session() as session:
        policies = reg.policies(session).policy_set
    return _for_agency(parse_mapping(raw, name, policies), agency)


def _for_agency(mapping: Mapping, agency: str | None) -> Mapping:
    if agency is not None and mapping.model.mapping.agency != agency:
        raise AccessDeniedError(
            f"the mapping {mapping.model.mapping.name!r} is agency "
            f"{mapping.model.mapping.agency!r}'s; {agency!r} submits with its own mappings",
            {"mapping": mapping.model.mapping.name, "agency": agency},
        )
    return mapping


def _plain(path: Path, sink: Quarantine, out: FileReport) -> Iterator[tuple[int, RawLine]]:
    for number, row, text in text_rows(path):
        out.read += 1
        sink.keep(number, text, row)
        yield number, row


def _mapped(mapped: MappedFile, sink: Quarantine, out: FileReport) -> Iterator[tuple[int, RawLine]]:
    for row in mapped.rows:
        out.read += 1
        sink.keep(row.line, row.text, row.fields)
        yield row.line, row.raw


@dataclass(frozen=True)
class Upload:
    """A file to submit, under a mapping (None: the file is in our field names), shown in the
    quarantine as ``name``."""

    path: Path
    mapping: Mapping | None
    name: str


def submit_file(
    reg: Registry,
    upload: Upload,
    sub: Submission,
    progress: Callable[[int], None] | None = None,
) -> FileReport:
    """Submit every line of the file; refused lines are quarantined in their chunk's
    transaction. A file that cannot be read at all is refused before anything is stored,
    in the words of its ``name`` (an upload's temporary path is never shown)."""
    sink = Quarantine(sub.agency, upload.name)
    out = FileReport(SubmitReport(), sink.submission)
    try:
        if upload.mapping is None:
            out.report = submit_lines(reg, _plain(upload.path, sink, out), sub, progress, sink)
        else:
            mapped = open_mapped(upload.path, upload.mapping)
            out.warnings += mapped.warnings
            lines = _mapped(mapped, sink, out)
            links = upload.mapping.rows is RowKind.LINKS
            submit = submit_link_lines if links else submit_lines
            out.report = submit(reg, lines, sub, progress, sink)
            out.warnings += unknown_keys(mapped)
    except InputError as exc:
        shown = exc.message.replace(str(upload.path), upload.name)
        raise InputError(shown, {**exc.details, "path": upload.name}) from exc
    out.quarantined = sink.ids
    return out


def preview_rows(path: Path, mapping: Mapping, limit: int) -> tuple[list[str], list[MappedRow]]:
    """The first ``limit`` rows of ``path`` mapped (nothing is stored), and the warnings."""
    mapped = open_mapped(path, mapping)
    rows = []
    for row in mapped.rows:
        rows.append(row)
        if len(rows) >= limit:
            break
    return mapped.warnings + unknown_keys(mapped), rows
