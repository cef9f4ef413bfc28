"""Load a mapping file in two phases, as policies are loaded, and refuse it with every problem.

Phase 1 reads the YAML with marks for every path (duplicate keys are errors) and validates its
shape (unknown keys refused). Phase 2 checks it against the policy: the fields are those of a
record (or of a link), the required ones are mapped, every code-table target and constant item
is a catalogue item the mapping's agency establishes (its ``authority``), roles are the base
taxonomy's, date formats read back what they write. Problems are ``PATH:LINE:COLUMN: [rule]``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from socialcredit.engine.links import LINK_FIELDS, LinkSource
from socialcredit.engine.records import INPUT_FIELDS
from socialcredit.errors import MappingError, Problem
from socialcredit.identity import IdentifierKind, SubjectKind
from socialcredit.ingest.mapping_models import MappingFile, RowKind, SourceFormat
from socialcredit.policy import PolicySet
from socialcredit.policy.base import base_catalogue
from socialcredit.policy.yamlsource import SourceDocument, parse_yaml, read_yaml

RECORD_DATES = (
    "decided_on",
    "notified_on",
    "resolved_on",
    "revoked_on",
    "disputed_on",
    "dispute_decided_on",
)
LINK_DATES = ("valid_from", "valid_to", "revoked_on", "disputed_on", "dispute_decided_on")
REQUIRED = {
    RowKind.RECORDS: ("id", "subject", "item", "decided_on"),
    RowKind.LINKS: ("id", "organisation", "person", "role", "valid_from", "source"),
}
IDENTIFIER_FIELDS = {RowKind.RECORDS: ("subject",), RowKind.LINKS: ("organisation", "person")}
_SAMPLE = date(2024, 3, 1)

Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Mapping:
    """A mapping that passed both phases, with where it was read from."""

    model: MappingFile
    path: str
    sha256: str

    @property
    def rows(self) -> RowKind:
        return self.model.mapping.rows

    def date_fields(self) -> tuple[str, ...]:
        return RECORD_DATES if self.rows is RowKind.RECORDS else LINK_DATES

    def identifier_fields(self) -> tuple[str, ...]:
        return IDENTIFIER_FIELDS[self.rows]


def _schema_message(error: ErrorDetails) -> str:
    loc = error["loc"]
    key = loc[-1] if loc else ""
    if error["type"] == "extra_forbidden":
        return f"unknown key {key!r}: it is not part of the mapping format (a typo?)"
    if error["type"] == "missing":
        return f"required key {key!r} is missing"
    where = ".".join(str(part) for part in loc)
    return f"{where}: {error['msg']}" if where else error["msg"]


def _shape(doc: SourceDocument) -> tuple[MappingFile | None, list[Problem]]:
    """Phase 1: YAML syntax, then the shape of the format."""
    if doc.problems or doc.data is None:
        empty = [] if doc.problems else [Problem(doc.path, "schema", "the file is empty")]
        return None, doc.problems + empty
    try:
        return MappingFile.model_validate(doc.data), []
    except ValidationError as exc:
        problems = [
            doc.locate(
                [p for p in e["loc"] if isinstance(p, str | int)], "schema", _schema_message(e)
            )
            for e in exc.errors()
        ]
        return None, problems


def _field_names(model: MappingFile) -> Iterator[tuple[Loc, str]]:
    kind = model.mapping.rows
    allowed = INPUT_FIELDS if kind is RowKind.RECORDS else LINK_FIELDS
    for name in model.fields:
        if name not in allowed:
            yield ("fields", name), f"{name!r} is not a field of {kind} ({', '.join(allowed)})"
    for name in REQUIRED[kind]:
        if name not in model.fields:
            yield ("fields",), f"required field {name!r} is not mapped"
    identifiers = IDENTIFIER_FIELDS[kind]
    for name, spec in model.fields.items():
        if (spec.identifier_kind or spec.one_of) and name not in identifiers:
            yield ("fields", name), f"identifier_kind and one_of apply to {', '.join(identifiers)}"
    if kind is RowKind.LINKS:
        yield from _link_kinds(model)
    subject = model.fields.get("subject")
    if "identifier_kind" in model.fields and subject is not None and subject.one_of:
        yield ("fields", "identifier_kind"), "subject's one_of already declares identifier kinds"


def _link_kinds(model: MappingFile) -> Iterator[tuple[Loc, str]]:
    """A link joins an organisation and a person: their columns hold identifiers of those."""
    for name, wanted in (
        ("organisation", SubjectKind.ORGANISATION),
        ("person", SubjectKind.PERSON),
    ):
        spec = model.fields.get(name)
        declared: list[tuple[Loc, IdentifierKind | None]] = []
        if spec is not None:
            declared.append((("fields", name), spec.identifier_kind))
        declared += [
            (("fields", name, "one_of", i), c.identifier_kind)
            for i, c in enumerate((spec.one_of if spec else None) or [])
        ]
        for loc, found in declared:
            if found is not None and found.subject_kind is not wanted:
                yield loc, f"{name} holds identifiers of {wanted}s, not {found}"


def _items(model: MappingFile, policies: PolicySet) -> Iterator[tuple[Loc, str]]:
    """Every item a records mapping can produce is one its agency establishes (principle 12)."""
    spec = model.fields.get("item")
    if spec is None or model.mapping.rows is not RowKind.RECORDS:
        return
    agency = model.mapping.agency
    targets: list[tuple[Loc, str]] = [(("fields", "item", "value"), spec.value or "")]
    if spec.codes is not None:
        targets = [(("fields", "item", "codes", k), v) for k, v in spec.codes.items()]
    elif spec.value is None:
        targets = []
        yield ("fields", "item"), "item needs a code table (codes) or a constant value"
    for loc, code in targets:
        item = policies.items.get(code)
        if item is None:
            yield loc, f"{code!r} is not an item of the policies in force"
        elif item.authority != agency:
            yield (
                loc,
                (
                    f"agency {agency!r} does not establish item {code!r} (its authority is "
                    f"{item.authority!r}); an agency maps only to its own items (principle 12)"
                ),
            )


def _link_values(model: MappingFile) -> Iterator[tuple[Loc, str]]:
    if model.mapping.rows is not RowKind.LINKS:
        return
    roles = set(base_catalogue().roles)
    allowed = {"role": roles, "source": {s.value for s in LinkSource}}
    for name, known in allowed.items():
        spec = model.fields.get(name)
        if spec is None:
            continue
        targets: list[tuple[Loc, str]] = []
        if spec.value:
            targets.append((("fields", name, "value"), spec.value))
        targets += [(("fields", name, "codes", k), v) for k, v in (spec.codes or {}).items()]
        for loc, value in targets:
            if value not in known:
                yield loc, f"{value!r} is not a {name} ({', '.join(sorted(known))})"


def _date_formats(model: MappingFile) -> Iterator[tuple[Loc, str]]:
    found: list[tuple[Loc, str]]
    found = [(("date_formats", i), f) for i, f in enumerate(model.date_formats)]
    for name, spec in model.fields.items():
        found += [
            (("fields", name, "date_formats", i), f) for i, f in enumerate(spec.date_formats or [])
        ]
    for loc, fmt in found:
        try:
            ok = date.fromisoformat(_parsed(fmt)) == _SAMPLE
        except ValueError:
            ok = False
        if not ok:
            yield loc, f"date format {fmt!r} does not read back the dates it writes (%Y, %m, %d)"


def _parsed(fmt: str) -> str:
    return datetime.strptime(_SAMPLE.strftime(fmt), fmt).date().isoformat()


def _source(model: MappingFile) -> Iterator[tuple[Loc, str]]:
    source = model.source
    if source.sheet is not None and source.format is not SourceFormat.XLSX:
        yield ("source", "sheet"), "sheet applies to xlsx files only"
    if source.format is SourceFormat.JSONL and source.header_row != 1:
        yield ("source", "header_row"), "JSON Lines files have no header row"
    mapped = set(model.columns())
    for i, column in enumerate(model.ignored_columns):
        if column in mapped:
            yield ("ignored_columns", i), f"column {column!r} is both mapped and ignored"


def _cross_check(model: MappingFile, policies: PolicySet) -> Iterator[tuple[Loc, str]]:
    """Phase 2."""
    yield from _field_names(model)
    yield from _items(model, policies)
    yield from _link_values(model)
    yield from _date_formats(model)
    yield from _source(model)


def _loaded(doc: SourceDocument, policies: PolicySet) -> Mapping:
    model, problems = _shape(doc)
    if model is not None:
        problems = [doc.locate(loc, "mapping", msg) for loc, msg in _cross_check(model, policies)]
    if problems or model is None:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise MappingError(f"the mapping was refused: {len(problems)} problem(s)", problems)
    return Mapping(model, doc.path, doc.sha256)


def load_mapping(path: Path, policies: PolicySet) -> Mapping:
    """Read and check a mapping file against ``policies``; raise :class:`MappingError`."""
    return _loaded(read_yaml(path), policies)


def parse_mapping(raw: bytes, display: str, policies: PolicySet) -> Mapping:
    """The same for a mapping's bytes (an upload), named ``display`` in problems."""
    return _loaded(parse_yaml(raw, display), policies)
