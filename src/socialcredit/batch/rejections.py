"""Turn rejected rows into problems naming file, row group, row and column."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from socialcredit.batch.schema import FileSchema
from socialcredit.errors import DatasetError, Problem

REJECTED_SQL = """
SELECT f.path, v.src_row, v.reasons
FROM validated v JOIN source_files f ON f.src_file = v.src_file
WHERE v.reasons <> ''
ORDER BY v.src_file, v.src_row LIMIT {limit}"""
"""The first rejected rows, with the path of their file (``source_files``: the executor's map
from its ``src_file`` key to the path that was read)."""


def row_problems(
    rows: Iterable[tuple[str, int, str]], schemas: Mapping[str, FileSchema]
) -> list[Problem]:
    """``rows`` of :data:`REJECTED_SQL`, their path a key of ``schemas``."""
    problems = []
    for src_file, src_row, reasons in rows:
        schema = schemas.get(src_file)
        group = schema.row_group_of(int(src_row)) if schema is not None else "?"
        where = f"{src_file} (row group {group}, row {src_row})"
        for reason in reasons.split("; "):
            column, _, message = reason.partition(": ")
            problems.append(Problem(where, f"column {column}", message))
    return problems


def rejected_error(total: int, rows_in: int, problems: list[Problem]) -> DatasetError:
    return DatasetError(
        f"{total} of {rows_in} record row(s) are invalid (the first are listed; use "
        "--skip-invalid to assess the rest and write the rejected rows to quarantine/)",
        problems,
    )
