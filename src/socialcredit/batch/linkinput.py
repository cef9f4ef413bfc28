"""The links of a batch run (``--links DIR``): Parquet files with the fields of
``engine.links.LINK_FIELDS``, validated row by row as ``socialcredit assess --links`` validates
a file (``ingest.links``: canonical identifiers, kinds, base roles, dates, overlaps), and held as
one Arrow table for the whole run.

Every link of the population is in memory at once (one row per link, far fewer than records);
the plan joins it with each partition's subjects and with the organisations' memberships.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from socialcredit.engine.links import Link
from socialcredit.errors import DatasetError, InputError
from socialcredit.ingest.links import LinkReader, base_roles

LINK_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("organisation", pa.string()),
        ("person", pa.string()),
        ("role", pa.string()),
        ("valid_from", pa.date32()),
        ("valid_to", pa.date32()),
        ("source", pa.string()),
        ("authority", pa.string()),
        ("reference", pa.string()),
        ("revoked_on", pa.date32()),
        ("disputed_on", pa.date32()),
        ("dispute_decided_on", pa.date32()),
        ("dispute_outcome", pa.string()),
    ]
)
"""The links as the plan reads them (canonical identifiers)."""


def _files(path: Path) -> list[Path]:
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise InputError(f"links directory not found: {path}", {"path": str(path)})
    files = sorted(p for p in path.rglob("*.parquet") if p.is_file())
    if not files:
        raise InputError(f"no Parquet files under {path}", {"path": str(path)})
    return files


def link_rows(links: list[Link]) -> list[dict[str, object]]:
    """Links as rows of :data:`LINK_SCHEMA`."""
    rows = []
    for link in links:
        row = {name: getattr(link, name) for name in LINK_SCHEMA.names}
        row["source"] = str(link.source)
        outcome = link.dispute_outcome
        row["dispute_outcome"] = None if outcome is None else str(outcome)
        rows.append(row)
    return rows


def read_link_table(path: Path, skip_invalid: bool = False, max_errors: int = 20) -> pa.Table:
    """Every valid link under ``path``; an invalid one stops the run (naming file and row)
    unless ``skip_invalid``."""
    reader = LinkReader(str(path), base_roles())
    for file in _files(path):
        reader.path = str(file)
        try:
            rows = pq.read_table(file).to_pylist()
        except (OSError, pa.ArrowException) as exc:
            message = f"not a readable Parquet file: {file}: {exc}"
            raise InputError(message, {"path": str(file)}) from exc
        for number, row in enumerate(rows):  # numbered from 0, as record rows are
            reader.take(number, row)
    batch = reader.batch
    if batch.problems and not skip_invalid:
        problems = [
            replace(p.as_problem(), location=f"{p.path} (row {p.line})", line=None)
            for p in batch.problems[:max_errors]
        ]
        raise DatasetError(
            f"{len(batch.problems)} of {batch.lines} link row(s) are invalid "
            "(use --skip-invalid to assess with the rest)",
            problems,
        )
    return pa.Table.from_pylist(link_rows(batch.links), LINK_SCHEMA)
