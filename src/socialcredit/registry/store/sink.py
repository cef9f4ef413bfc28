"""What a writing transaction hands its backend: chunk writes, consumed by the backend's sink.

Domain code (a submission's chunk, a reassessment) produces its rows as :data:`ChunkWrite`
values, each the changes of one unit of its work (one subject's reassessment, a chunk's new
records) table after table, in order, and hands them to the :class:`Sink` of its transaction
(:meth:`~socialcredit.registry.store.backend.Backend.sink`). The sink decides when to send
them, how many writes to combine into one statement per table, and whether to store them while
the producer computes the next ones; the producer does not know.
"""

from __future__ import annotations

from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from sqlalchemy import Table


@dataclass
class Cleared:
    """What clearing subjects' stored assessments found: the lists each subject was on and,
    when the sink keeps the stored decision rows for the producer to reuse, the SHA-256 of
    each one's stored JSON text by subject and service (None: every decision row deleted)."""

    old_lists: dict[str, set[str]] = field(default_factory=dict)
    kept: dict[str, dict[str, str]] | None = None


@dataclass(frozen=True)
class Rows:
    """Rows to insert into ``table``, all with the same keys (and those of the writes it may
    be combined with, too)."""

    table: Table
    rows: Sequence[Mapping[str, Any]]


@dataclass(frozen=True)
class PairDeletes:
    """Rows of ``table`` to delete: those whose two text ``columns`` hold one of ``pairs``."""

    table: Table
    columns: tuple[str, str]
    pairs: Sequence[tuple[str, str]]


Change = Rows | PairDeletes

ChunkWrite = tuple[Change, ...]
"""One unit of a transaction's writes: its changes, applied in this order."""


class Writes(Protocol):
    """Chunk writes in the order they are to be applied, produced as they are iterated; their
    number is known before (a sink may plan its statements by it)."""

    def __iter__(self) -> Iterator[ChunkWrite]: ...

    def __len__(self) -> int: ...


class Sink(Protocol):
    """Where a transaction's chunk writes go. Writes of one :meth:`write` are applied in the
    order given; consecutive writes of the same tables may be combined into one statement per
    table (a write's changes stay in their order). Every write is stored, or the first error
    raised, when the sink's block ends."""

    def clear_assessments(self, subjects: list[str]) -> Cleared:
        """Delete the subjects' stored assessments (before any write)."""

    def write(self, writes: Writes) -> None:
        """Consume ``writes``, iterating them to the end."""


def combined(
    writes: Iterable[ChunkWrite],
    cuts: Container[int] = frozenset(),
    between: Callable[[], object] = lambda: None,
) -> Iterator[Change]:
    """The changes of ``writes`` in order, consecutive writes of the same tables combined into
    one change per table (those with no row left out), and not combined across the cut after
    each write numbered (from 1) in ``cuts``. ``between`` is called after each write is taken
    from ``writes``, before the next is produced."""
    first: ChunkWrite | None = None  # the first write of those being combined
    tables: tuple[tuple[type, str], ...] = ()
    parts: list[list[Any]] = []
    for n, write in enumerate(writes, 1):
        if first is not None and _shape(write) != tables:
            yield from _changes(first, parts)
            first = None
        if first is None:
            first, tables, parts = write, _shape(write), [[] for _ in write]
        for part, change in zip(parts, write, strict=True):
            part.extend(change.rows if isinstance(change, Rows) else change.pairs)
        between()
        if n in cuts:
            yield from _changes(first, parts)
            first = None
    if first is not None:
        yield from _changes(first, parts)


def _shape(write: ChunkWrite) -> tuple[tuple[type, str], ...]:
    return tuple((type(change), change.table.name) for change in write)


def _changes(first: ChunkWrite, parts: list[list[Any]]) -> Iterator[Change]:
    for part, change in zip(parts, first, strict=True):
        if not part:
            continue
        if isinstance(change, Rows):
            yield Rows(change.table, part)
        else:
            yield PairDeletes(change.table, change.columns, part)
