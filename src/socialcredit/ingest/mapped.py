"""An agency's export read through its mapping: each row becomes the fields of a record (or a
link) or a precise list of reasons it cannot, in the order of the file, in bounded memory.

Before any row is read the file's columns are checked: a column the mapping reads that the file
lacks refuses the file; a column the mapping neither reads nor lists in ``ignored_columns`` is
a warning (``unknown_columns: warn``, the default: the column is left out) or refuses the file
(``unknown_columns: refuse``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from socialcredit.errors import IdentifierError, InputError
from socialcredit.identity import parse_subject
from socialcredit.ingest.mapping_load import Mapping
from socialcredit.ingest.mapping_models import FieldSpec, RowKind, UnknownColumns
from socialcredit.ingest.mapping_values import read_amount, read_code, read_date, read_identifier
from socialcredit.ingest.sources import Opened, SourceRow, open_source


@dataclass(frozen=True)
class MappedRow:
    """One row of the export: its fields as read (possibly partial) and why it is refused."""

    line: int
    text: str
    fields: dict[str, str]
    reasons: tuple[str, ...] = ()

    @property
    def raw(self) -> dict[str, str] | str:
        """What a submission takes: the fields, or the reasons the row cannot be one."""
        return "; ".join(self.reasons) if self.reasons else self.fields


@dataclass
class MappedFile:
    mapping: Mapping
    path: Path
    warnings: list[str]
    rows: Iterator[MappedRow]
    read: int = 0  # rows read so far (every row, mapped or refused)
    opened: Opened | None = field(default=None, repr=False)


def _columns_check(mapping: Mapping, path: Path, columns: list[str]) -> list[str]:
    """Refuse a file lacking a mapped column, or with an unknown one under ``refuse``; the
    warnings for unknown columns under ``warn``."""
    model = mapping.model
    missing = [c for c in model.columns() if c not in columns]
    if missing:
        raise InputError(
            f"{path}: the columns {', '.join(map(repr, missing))} that the mapping "
            f"{model.mapping.name!r} reads are not in the header (line "
            f"{model.source.header_row}: {', '.join(map(repr, columns[:12]))}); check the "
            f"header row and the encoding ({model.source.encoding})",
            {"path": str(path), "missing": missing, "header": columns},
        )
    doubled = sorted({c for c in model.columns() if columns.count(c) > 1})
    if doubled:
        raise InputError(
            f"{path}: the header names {', '.join(map(repr, doubled))} more than once",
            {"path": str(path), "columns": doubled},
        )
    known = set(model.columns()) | set(model.ignored_columns)
    unknown = [c for c in columns if c and c not in known]
    if unknown and model.source.unknown_columns is UnknownColumns.REFUSE:
        raise InputError(
            f"{path}: columns the mapping does not mention: {', '.join(map(repr, unknown))} "
            "(map them, list them in ignored_columns, or set unknown_columns: warn)",
            {"path": str(path), "unknown": unknown},
        )
    return [f"column {c!r} is not in the mapping: left out" for c in unknown]


@dataclass
class _RowMapper:
    mapping: Mapping
    reasons: list[str] = field(default_factory=list)

    def value(self, name: str, spec: FieldSpec, cells: dict[str, str]) -> tuple[str, str | None]:
        """The text of field ``name`` and the identifier kind it declares."""
        if spec.value is not None:
            return spec.value, None
        if spec.one_of is not None:
            for entry in spec.one_of:
                if cells.get(entry.column, "").strip():
                    return read_identifier(cells[entry.column]), str(entry.identifier_kind)
            return "", None
        text = cells.get(spec.column or "", "").strip()
        kind = None if spec.identifier_kind is None else str(spec.identifier_kind)
        return (self._converted(name, spec, text), kind) if text else ("", None)

    def _converted(self, name: str, spec: FieldSpec, text: str) -> str:
        if spec.codes is not None:
            return read_code(text, spec.codes, spec.column or "")
        if name in self.mapping.date_fields():
            return read_date(text, spec.date_formats or self.mapping.model.date_formats)
        if name == "amount":
            return read_amount(text)
        if name in self.mapping.identifier_fields():
            return read_identifier(text)
        return text

    def row(self, source: SourceRow) -> MappedRow:
        out: dict[str, str] = {}
        reasons = [source.problem] if source.problem else []
        for name, spec in self.mapping.model.fields.items():
            try:
                text, kind = self.value(name, spec, source.cells)
            except ValueError as exc:
                reasons.append(f"{name}: {exc}")
                continue
            if text:
                out[name] = text
            if kind is not None:
                self._kind(name, text, kind, out, reasons)
        if self.mapping.rows is RowKind.LINKS:
            reasons += _link_dates(out)
        return MappedRow(source.line, source.text, out, tuple(reasons))

    def _kind(
        self, name: str, text: str, kind: str, out: dict[str, str], reasons: list[str]
    ) -> None:
        if self.mapping.rows is RowKind.RECORDS:
            out["identifier_kind"] = kind  # checked against the identifier by validation
            return
        try:  # a link's identifiers are checked here (the records' by validation)
            out[name] = parse_subject(text, kind).value
        except IdentifierError as exc:
            reasons.append(f"{name}: {exc.message}")


def _link_dates(fields: dict[str, str]) -> list[str]:
    """A link ends after it begins, and is revoked or disputed on or after its beginning (ISO
    dates compare as text)."""
    start = fields.get("valid_from")
    reasons = []
    if start is not None:
        end = fields.get("valid_to")
        if end is not None and end <= start:
            reasons.append(f"valid_to {end} is not after valid_from {start}")
        for name in ("revoked_on", "disputed_on"):
            when = fields.get(name)
            if when is not None and when < start:
                reasons.append(f"{name} {when} is before valid_from {start}")
    return reasons


def _counted(mapped: MappedFile, rows: Iterator[SourceRow]) -> Iterator[MappedRow]:
    mapper = _RowMapper(mapped.mapping)
    for source in rows:
        mapped.read += 1
        yield mapper.row(source)


def open_mapped(path: Path, mapping: Mapping) -> MappedFile:
    """Open ``path`` through ``mapping``: checks the columns up front, then maps lazily."""
    opened = open_source(path, mapping.model.source)
    warnings = [] if opened.columns is None else _columns_check(mapping, path, opened.columns)
    mapped = MappedFile(mapping, path, warnings, iter(()), opened=opened)
    mapped.rows = _counted(mapped, opened.rows)
    return mapped


def unknown_keys(mapped: MappedFile) -> list[str]:
    """After a JSON Lines file was read: the keys its rows carried that the mapping does not
    mention (a warning; each row's missing keys are empty values)."""
    if mapped.opened is None or mapped.opened.columns is not None:
        return []
    model = mapped.mapping.model
    known = set(model.columns()) | set(model.ignored_columns)
    return [
        f"key {k!r} is not in the mapping: left out" for k in sorted(mapped.opened.keys - known)
    ]


Tap = Callable[[MappedRow], None]


def submitted_lines(mapped: MappedFile, tap: Tap) -> Iterator[tuple[int, dict[str, str] | str]]:
    """The rows as a submission takes them, each shown to ``tap`` first (the quarantine keeps
    its raw text)."""
    for row in mapped.rows:
        tap(row)
        yield row.line, row.raw
