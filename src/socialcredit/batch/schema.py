"""The Parquet form of records, and the checks that name file, row group and column.

Required columns: ``id``, ``subject``, ``item``, ``decided_on``. The other record fields are
optional (an absent column is all null), ``identifier_kind`` included. Dates are Parquet
dates (``date32``); ``amount`` is any number; text columns are strings. Any other column is
refused, as ``validate_record`` refuses an unknown field.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from socialcredit.engine import INPUT_FIELDS
from socialcredit.errors import Problem

TEXT, DATE, NUMBER = "text", "date", "number"
RECORD_COLUMNS: dict[str, str] = {
    name: NUMBER if name == "amount" else DATE if name.endswith("_on") else TEXT
    for name in INPUT_FIELDS
}
"""Every field of ``engine.INPUT_FIELDS``, in order, with its kind (dates end in ``_on``)."""
REQUIRED = ("id", "subject", "item", "decided_on")
SQL_TYPES = {TEXT: "STRING", DATE: "DATE", NUMBER: "DOUBLE"}


def typed_columns(present: set[str]) -> str:
    """Every record column cast to its SQL type (NULL when absent from the files), for the
    ``raw_records`` input of both executors."""
    return ", ".join(
        f"CAST({name if name in present else 'NULL'} AS {SQL_TYPES[kind]}) AS {name}"
        for name, kind in RECORD_COLUMNS.items()
    )


_EXPECTED = {TEXT: "a string", DATE: "a date (Parquet date32)", NUMBER: "a number"}


def _type_ok(kind: str, arrow_type: pa.DataType) -> bool:
    if pa.types.is_null(arrow_type):
        return True
    if pa.types.is_dictionary(arrow_type):
        return _type_ok(kind, arrow_type.value_type)
    if kind == TEXT:
        return bool(pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type))
    if kind == DATE:
        return bool(pa.types.is_date(arrow_type))
    return bool(
        pa.types.is_integer(arrow_type)
        or pa.types.is_floating(arrow_type)
        or pa.types.is_decimal(arrow_type)
    )


@dataclass(frozen=True)
class FileSchema:
    path: Path
    columns: frozenset[str]
    row_groups: tuple[int, ...]
    """Rows per row group."""

    def row_group_of(self, row: int) -> int:
        total = 0
        for index, rows in enumerate(self.row_groups):
            total += rows
            if row < total:
                return index
        return len(self.row_groups) - 1


def _where(path: Path, groups: int) -> str:
    span = "row group 0" if groups <= 1 else f"row groups 0-{groups - 1}"
    return f"{path} ({span})"


def inspect_file(path: Path) -> tuple[FileSchema | None, list[Problem]]:
    """Read a file's schema and row groups (metadata only) and check its columns."""
    try:
        with pq.ParquetFile(path) as parquet:  # the footer, read once
            meta, schema = parquet.metadata, parquet.schema_arrow
    except (OSError, pa.ArrowException) as exc:
        return None, [Problem(str(path), "parquet", f"not a readable Parquet file: {exc}")]
    groups = tuple(meta.row_group(i).num_rows for i in range(meta.num_row_groups))
    where = _where(path, len(groups))
    problems = [
        Problem(where, "column", f"column {name!r} is missing (required)")
        for name in REQUIRED
        if name not in schema.names
    ]
    for field in schema:
        kind = RECORD_COLUMNS.get(field.name)
        if kind is None:
            known = ", ".join(RECORD_COLUMNS)
            problems.append(
                Problem(where, "column", f"column {field.name!r} is not a record field ({known})")
            )
        elif not _type_ok(kind, field.type):
            problems.append(
                Problem(
                    where,
                    "column",
                    f"column {field.name!r} has type {field.type}; expected {_EXPECTED[kind]}",
                )
            )
    return FileSchema(path, frozenset(schema.names), groups), problems


def inspect_files(paths: Iterable[Path]) -> tuple[list[FileSchema], list[Problem]]:
    schemas, problems = [], []
    for path in paths:
        schema, found = inspect_file(path)
        problems += found
        if schema is not None:
            schemas.append(schema)
    return schemas, problems
