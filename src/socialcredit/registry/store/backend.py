"""The storage backend: what differs between SQLite and PostgreSQL, behind one protocol.

Domain code (writes, reads, workflows) builds SQLAlchemy Core statements and asks the backend
for everything whose best form depends on the database: binding a list of keys, bulk inserts
(``COPY`` or executemany), drawing row ids, clearing a subject's stored assessment, taking the
writers' locks, planning keyed lookups, and the point-of-service check transaction. The
implementations are :class:`~socialcredit.registry.store.sqlite.SqliteBackend` and
:class:`~socialcredit.registry.store.postgres.PostgresBackend`; each engine has one
(:func:`~socialcredit.registry.store.choose.backend_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Connection, Engine, Table
from sqlalchemy.engine import URL

T = TypeVar("T")

HeadRow = tuple[str, int, str]
"""The audit chain's head as locked: key, sequence, hash."""

CheckRow = tuple[Any, ...]
"""One row of the check's read: registry date, newest policy version id, subject, service,
the subject's assessment date, the pair's stored decision as JSON text."""

CheckAudit = Callable[[list[CheckRow], HeadRow], list[dict[str, Any]]]
"""Given what a check transaction read and the head it locked, the audit rows to append (it
may raise to refuse: the transaction is rolled back)."""


@dataclass
class Cleared:
    """What clearing subjects' stored assessments found: the lists each subject was on and,
    when the backend keeps the stored decision rows for the writer to reuse, the SHA-256 of
    each one's stored JSON text by subject and service (None: every decision row deleted)."""

    old_lists: dict[str, set[str]] = field(default_factory=dict)
    kept: dict[str, dict[str, str]] | None = None


class Writer(Protocol):
    """Where a transaction's bulk rows go, table after table, in the order given.

    A writer may send rows in the background (the PostgreSQL writer streams ``COPY`` while the
    caller computes the next rows); the caller gives it a moment between units of its own work
    with :meth:`poll`. Rows are stored, or the first error raised, when its block ends.
    """

    @property
    def background(self) -> bool:
        """Whether rows put are stored while the caller goes on (then it puts them in a few
        parts, so that little is left to store at the end)."""

    def clear_assessments(self, subjects: list[str]) -> Cleared:
        """Delete the subjects' stored assessments (before any row is put)."""

    def put(self, tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows`` (all with the same keys) into ``tbl``."""

    def delete_pairs(
        self, tbl: Table, columns: tuple[str, str], pairs: Sequence[tuple[str, str]]
    ) -> None:
        """Delete the rows of ``tbl`` whose two text ``columns`` hold one of ``pairs``."""

    def poll(self) -> None:
        """A moment the writer may use to advance background work (returns at once)."""


class Backend(Protocol):
    """One database's way of doing what the registry needs (see the module's docstring)."""

    name: str

    def create_engine(self, url: URL) -> Engine:
        """A SQLAlchemy engine for ``url`` with this database's connection settings."""

    def in_list(self, column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
        """``column IN (the list bound as name)``."""

    def statements(self, build: Callable[[Backend], T]) -> T:
        """``build(self)``, made once per backend (statements whose text depends on it)."""

    def key_lookups(self, conn: Connection) -> AbstractContextManager[None]:
        """A block whose reads and deletes by lists of keys are planned as index lookups."""

    def lock_keys(self, conn: Connection, keys: Iterable[str]) -> None:
        """Hold a writer's lock on each key until the transaction ends."""

    def allocate_ids(self, conn: Connection, tbl: Table, count: int) -> list[int]:
        """``count`` fresh ids for rows of ``tbl``, ascending, inside the writer's lock."""

    def insert(self, conn: Connection, tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows`` (all with the same keys) into ``tbl`` now."""

    def writer(self, conn: Connection, size: int) -> AbstractContextManager[Writer]:
        """A :class:`Writer` for about ``size`` rows per table on ``conn``."""

    def first_value(self, conn: Connection, sql: str) -> Any:
        """The first column of the first row of plain ``sql`` (no parameters), or None,
        run on the driver's own connection without opening a transaction through SQLAlchemy."""

    def run_check(
        self, conn: Connection, pairs: Sequence[tuple[str, str]], audit: CheckAudit
    ) -> None:
        """The check transaction on ``conn`` (not in a transaction): read ``pairs``, lock the
        audit head, append ``audit(rows, head)``, commit; rolled back on any exception."""
