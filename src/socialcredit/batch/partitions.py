"""Partitions of a records directory: the unit of work of the DuckDB executor.

A directory whose subdirectories are Hive-style partitions (``bucket=00017/``, as written by
``socialcredit synth``) gives one partition per subdirectory; every record of a subject must be
in the subject's partition (the batch scorer assesses a partition on its own). Any other
directory (or a single file) is one partition: correct, but its memory grows with its size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from socialcredit.errors import InputError


@dataclass(frozen=True)
class Partition:
    name: str
    files: tuple[Path, ...]


def _parquet_files(directory: Path) -> tuple[Path, ...]:
    return tuple(sorted(p for p in directory.rglob("*.parquet") if p.is_file()))


def discover(records: Path) -> list[Partition]:
    """The partitions of ``records`` (a directory or one Parquet file), in name order."""
    if records.is_file():
        return [Partition(records.stem, (records,))]
    if not records.is_dir():
        raise InputError(f"records directory not found: {records}", {"path": str(records)})
    hive = sorted(p for p in records.iterdir() if p.is_dir() and "=" in p.name)
    partitions = [Partition(p.name.split("=", 1)[1], _parquet_files(p)) for p in hive]
    partitions = [p for p in partitions if p.files]
    loose = tuple(sorted(p for p in records.glob("*.parquet") if p.is_file()))
    if loose and partitions:
        raise InputError(
            f"{records} mixes partition directories and loose Parquet files: use one layout",
            {"path": str(records)},
        )
    if not partitions:
        files = loose or _parquet_files(records)
        if not files:
            raise InputError(f"no Parquet files under {records}", {"path": str(records)})
        partitions = [Partition("all", files)]
    return partitions
