"""The mapping format: how an agency's own export (its columns, encoding, date and amount
formats, conduct codes and identifier columns) becomes records or links (docs/mapping-format.md).

These models check the shape of a mapping file (unknown keys are refused); what a mapping
names in the policy is checked afterwards by :mod:`.mapping_load`.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, model_validator

from socialcredit.identity import IdentifierKind


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SourceFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"


class Encoding(StrEnum):
    UTF8 = "utf-8"
    UTF8_SIG = "utf-8-sig"  # UTF-8 with a byte-order mark, as spreadsheet programs write it
    GB18030 = "gb18030"  # the national standard; a superset of GBK and GB 2312


class RowKind(StrEnum):
    RECORDS = "records"  # each row is a record (engine.records.INPUT_FIELDS)
    LINKS = "links"  # each row is a link (engine.links.LINK_FIELDS)


class UnknownColumns(StrEnum):
    WARN = "warn"  # columns the mapping does not mention are listed as a warning and left out
    REFUSE = "refuse"  # the file is refused before any row is read


class Header(_Strict):
    name: str = Field(min_length=1, max_length=100, pattern=r"^[a-z0-9][a-z0-9-]*$")
    agency: str = Field(min_length=1, max_length=300)
    rows: RowKind = RowKind.RECORDS
    description: str | None = Field(default=None, max_length=2000)


class Source(_Strict):
    format: SourceFormat
    encoding: Encoding = Encoding.UTF8
    header_row: int = Field(default=1, ge=1, le=1000)
    sheet: str | None = Field(default=None, min_length=1, max_length=100)
    unknown_columns: UnknownColumns = UnknownColumns.WARN


class IdentifierColumn(_Strict):
    """A column holding identifiers of one kind (one of several a subject may come from)."""

    column: str = Field(min_length=1, max_length=200)
    identifier_kind: IdentifierKind


class FieldSpec(_Strict):
    """Where one field of a row comes from: a column, a constant ``value``, or the first
    non-empty of several identifier columns (``one_of``)."""

    column: str | None = Field(default=None, min_length=1, max_length=200)
    value: str | None = Field(default=None, min_length=1, max_length=300)
    one_of: list[IdentifierColumn] | None = Field(default=None, min_length=1)
    identifier_kind: IdentifierKind | None = None
    codes: dict[str, str] | None = Field(default=None, min_length=1)
    date_formats: list[str] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _one_source(self) -> FieldSpec:
        given = [k for k in ("column", "value", "one_of") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("a field comes from exactly one of: column, value, one_of")
        if self.column is None and (self.codes is not None or self.date_formats is not None):
            raise ValueError("codes and date_formats apply to a field read from a column")
        if self.identifier_kind is not None and self.column is None:
            raise ValueError("identifier_kind goes with column (in one_of, on each entry)")
        return self

    def columns(self) -> list[str]:
        """The columns this field reads."""
        if self.column is not None:
            return [self.column]
        return [c.column for c in self.one_of or []]


class MappingFile(_Strict):
    """One agency export, described once."""

    mapping: Header
    source: Source
    date_formats: list[str] = Field(default_factory=lambda: ["%Y-%m-%d"], min_length=1)
    fields: dict[str, FieldSpec] = Field(min_length=1)
    ignored_columns: list[str] = Field(default_factory=list)

    def columns(self) -> list[str]:
        """Every column the mapping reads, in the order it names them, once each."""
        named = [c for spec in self.fields.values() for c in spec.columns()]
        return list(dict.fromkeys(named))
