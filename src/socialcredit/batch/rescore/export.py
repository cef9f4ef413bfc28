"""Export a registry's records to Parquet, bucketed by subject, in the batch scorer's form.

One streaming ``SELECT`` (rows fetched in chunks); each row goes to the bucket of its subject
(CRC-32 of the identifier, modulo the bucket count), buffered and flushed as row groups, so
memory stays bounded whatever the registry's size. Record ids are the registry keys
(``r<id>``) the live assessments use, so both paths explain records by the same ids; each
record says the kind of its subject's key (``identifier_kind``).
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from sqlalchemy import Row, func, select

from socialcredit.batch.schema import DATE, NUMBER, RECORD_COLUMNS
from socialcredit.identity import key_kind
from socialcredit.registry import Registry
from socialcredit.registry.store.models import RecordEvent, RecordRow, Subject, record_key, table

_ARROW = {DATE: pa.date32(), NUMBER: pa.float64()}
SCHEMA = pa.schema([(name, _ARROW.get(kind, pa.string())) for name, kind in RECORD_COLUMNS.items()])
FETCH = 20_000
FLUSH_ROWS = 200_000
"""Rows buffered over all buckets before the fullest buckets are written out."""


def bucket_of(subject: str, buckets: int) -> int:
    return zlib.crc32(subject.encode()) % buckets


@dataclass
class Export:
    """Where the records went, and the newest status event at the time of the export."""

    directory: Path
    buckets: int
    records: int = 0
    last_event: int = 0
    paths: dict[int, Path] = field(default_factory=dict)


_STORED = tuple(
    c for c in RECORD_COLUMNS if c not in ("id", "subject", "amount", "identifier_kind")
)


def _row(record: Row[Any]) -> dict[str, Any]:
    stored = record._mapping
    values = {name: stored[name] for name in _STORED}
    values["id"] = record_key(record.id)
    values["subject"] = record.subject_id
    values["amount"] = None if record.amount is None else float(record.amount)
    # the key's kind, so that an all-digit credit code is read as one
    values["identifier_kind"] = key_kind(record.subject_id, stored["subject_kind"])
    return values


class _Writers:
    def __init__(self, export: Export) -> None:
        self.export = export
        self.buffers: dict[int, list[dict[str, Any]]] = {}
        self.writers: dict[int, pq.ParquetWriter] = {}
        self.buffered = 0

    def add(self, rows: Sequence[Row[Any]]) -> None:
        for record in rows:
            bucket = bucket_of(record.subject_id, self.export.buckets)
            self.buffers.setdefault(bucket, []).append(_row(record))
        self.buffered += len(rows)
        if self.buffered >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        for bucket, rows in self.buffers.items():
            if bucket not in self.writers:
                path = self.export.directory / f"bucket={bucket:05d}" / "part-0.parquet"
                path.parent.mkdir(parents=True)
                self.export.paths[bucket] = path
                self.writers[bucket] = pq.ParquetWriter(path, SCHEMA, compression="zstd")
            self.writers[bucket].write_table(pa.Table.from_pylist(rows, SCHEMA))
        self.buffers, self.buffered = {}, 0

    def close(self) -> None:
        self.flush()
        for writer in self.writers.values():
            writer.close()


def export_records(
    reg: Registry, directory: Path, bucket_size: int, progress: Callable[[int], None] | None
) -> Export:
    """Write every record of the registry under ``directory/bucket=NNNNN/``."""
    with reg.session() as session:
        subjects = session.execute(select(func.count()).select_from(Subject)).scalar_one()
        last_event = session.execute(select(func.max(RecordEvent.id))).scalar_one()
        export = Export(directory, max(1, math.ceil(subjects / bucket_size)), 0, last_event or 0)
        records = table(RecordRow)
        query = select(records, Subject.kind.label("subject_kind")).join(
            Subject, Subject.id == records.c.subject_id
        )
        result = session.execute(
            query.order_by(records.c.id), execution_options={"yield_per": FETCH}
        )
        writers = _Writers(export)
        try:
            for chunk in result.partitions():
                writers.add(chunk)
                export.records += len(chunk)
                if progress is not None:
                    progress(len(chunk))
        finally:
            writers.close()
    return export
