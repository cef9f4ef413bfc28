"""The storage backend: what differs between SQLite and PostgreSQL, behind one protocol.

Domain code (writes, reads, workflows) builds SQLAlchemy Core statements and asks the backend
for everything whose best form depends on the database: binding a list of keys, bulk inserts
(``COPY`` or executemany) and the sink that takes a transaction's chunk writes (:mod:`.sink`),
drawing row ids, taking the writers' locks, planning keyed lookups, and the point-of-service
check transaction. The implementations are
:class:`~socialcredit.registry.store.sqlite.SqliteBackend` and
:class:`~socialcredit.registry.store.postgres.PostgresBackend`; each engine has one
(:func:`~socialcredit.registry.store.choose.backend_of`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, Connection, Engine, Table
from sqlalchemy.engine import URL

from socialcredit.registry.store.sink import Sink

T = TypeVar("T")

HeadRow = tuple[str, int, str]
"""The audit chain's head as locked: key, sequence, hash."""

CheckRow = tuple[Any, ...]
"""One row of the check's read: registry date, newest policy version id, subject, service,
the subject's assessment date, the pair's stored decision as JSON text."""

CheckAudit = Callable[[list[CheckRow], HeadRow], list[dict[str, Any]]]
"""Given what a check transaction read and the head it locked, the audit rows to append (it
may raise to refuse: the transaction is rolled back)."""


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

    def sink(self, conn: Connection, size: int) -> AbstractContextManager[Sink]:
        """The :class:`~socialcredit.registry.store.sink.Sink` of a transaction on ``conn``
        writing about ``size`` rows per table."""

    def first_value(self, conn: Connection, sql: str) -> Any:
        """The first column of the first row of plain ``sql`` (no parameters), or None,
        run on the driver's own connection without opening a transaction through SQLAlchemy."""

    def run_check(
        self, conn: Connection, pairs: Sequence[tuple[str, str]], audit: CheckAudit
    ) -> None:
        """The check transaction on ``conn`` (not in a transaction): read ``pairs``, lock the
        audit head, append ``audit(rows, head)``, commit; rolled back on any exception."""
