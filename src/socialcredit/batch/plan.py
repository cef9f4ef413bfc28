"""A batch plan: named SQL steps over constant tables, run by an executor.

Each step is one SELECT (it may hold its own CTEs) that the executor materialises under its
name (or, for a step read once, defines as a view), so that later steps, the outputs and
``--debug`` (row counts per step) can read it. The
plan reads one input, ``raw_records``, with every column of
:data:`socialcredit.batch.schema.RECORD_COLUMNS` plus ``src_file`` and ``src_row``; with links,
also ``links`` (``batch.linkinput.LINK_SCHEMA``, every link of the run) and ``link_orphans``
(the linked persons without a record that a partition assesses). A plan with a first pass
(DuckDB with links) runs ``first_pass`` over every partition and appends each
``first_outputs`` query to the table of its name (the organisations' memberships and next
changes) before ``steps`` run on any partition.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Step:
    name: str
    sql: str
    description: str
    materialise: bool = True
    """False for a step read only once (by one later step or one output): the DuckDB executor
    defines it as a view, computed where it is read, instead of a table written and read back
    (Spark checkpoints every step)."""


@dataclass(frozen=True)
class Output:
    """A table written per partition: ``out/<name>/part-<partition>.parquet``."""

    name: str
    sql: str


@dataclass(frozen=True)
class Plan:
    constants: Mapping[str, pa.Table]
    steps: tuple[Step, ...]
    outputs: tuple[Output, ...]
    quarantine: str
    """SELECT of the rejected rows, with their reasons."""
    links: bool = False
    """Whether the plan reads ``links`` (``socialcredit batch assess --links``)."""
    first_pass: tuple[Step, ...] = ()
    first_outputs: tuple[Output, ...] = ()
