"""PostgreSQL: the server for many writers and readers.

A transaction's chunk writes go in with ``COPY`` in the background (:mod:`.background`,
:mod:`.copytext`), their ids drawn from the table's sequence first; a subject's stored
assessment is cleared in one statement, keeping the decision rows the new assessment repeats
word for word; writers of the same subjects take turns on advisory locks; keyed lookups are
planned without sequential scans (:mod:`.pgsettings`); the check transaction is one pipeline
(:mod:`.pgcheck`).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar, cast

from psycopg import Connection as PgConnection
from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Insert,
    String,
    Table,
    any_,
    bindparam,
    create_engine,
    event,
    exc,
    insert,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import URL
from sqlalchemy.pool import ConnectionPoolEntry

from socialcredit.registry.store.backend import Backend, CheckAudit
from socialcredit.registry.store.background import BackgroundSink
from socialcredit.registry.store.clearing import clear_in_one, gathered
from socialcredit.registry.store.copytext import copy_rows
from socialcredit.registry.store.immediate import ImmediateSink
from socialcredit.registry.store.pgcheck import run_check
from socialcredit.registry.store.pgsettings import key_lookups
from socialcredit.registry.store.sink import Cleared, Sink

T = TypeVar("T")

_RETURNED = "socialcredit.returned"

# A writing transaction first takes a transaction-scoped advisory lock per key it is about to
# touch (subjects, agency record ids), all of a statement's locks in ascending order of a
# 64-bit hash of the key: two writers never wait for each other in a cycle through these locks
# (the audit head, locked last by every writer, comes after them all). A writer that waited
# then reads what the other committed (READ COMMITTED).
_LOCK = text(
    "SELECT count(pg_advisory_xact_lock(k)) FROM (SELECT DISTINCT hashtextextended(s, 0) AS k"
    " FROM unnest(:keys) AS s ORDER BY k) AS found"
).bindparams(bindparam("keys", type_=ARRAY(String())))

# The sequence is looked up once (``OFFSET 0`` keeps the subquery from being merged into the
# outer query, where the lookup and the cast ran again for every id).
_NEXT_IDS = text(
    "SELECT nextval(s.seq) FROM (SELECT pg_get_serial_sequence(:table, 'id')::regclass AS seq"
    " OFFSET 0) AS s, generate_series(1, :n)"
)
_CLEAR = {keep: clear_in_one(keep) for keep in (False, True)}


@cache
def _insert(tbl: Table) -> Insert:
    return insert(tbl)


def _driver(conn: Connection) -> PgConnection[Any]:
    return cast(PgConnection[Any], conn.connection.driver_connection)


@dataclass(frozen=True)
class PostgresTuning:
    """The PostgreSQL backend's thresholds."""

    copy_min: int = 16
    """Below this many rows a plain executemany is cheaper than opening a ``COPY`` (two round
    trips); from it on, a transaction's sink sends in the background."""
    check_copy_from: int = 64
    """From this many audit rows on (a batch request, not a group of single checks), a check
    transaction appends them by ``COPY``: two more round trips, but one statement for the
    server instead of one per row."""
    ping_after_s: float = 1.0
    """A pooled connection idle for longer than this is pinged before it is handed out (a
    dropped one is then replaced, not failed on); one used more recently is handed out as it
    is, and if it was dropped meanwhile the one call handed it fails (nothing is written)."""


class PostgresBackend:
    """The :class:`~socialcredit.registry.store.backend.Backend` of PostgreSQL (psycopg 3)."""

    name = "postgresql"

    def __init__(self, tuning: PostgresTuning = PostgresTuning()) -> None:
        self.tuning = tuning
        self._made: dict[Callable[..., Any], Any] = {}

    def create_engine(self, url: URL) -> Engine:
        if url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        engine = create_engine(url)
        event.listen(engine.pool, "checkin", _returned)
        event.listen(engine.pool, "checkout", self._ping_if_idle)
        return engine

    def _ping_if_idle(
        self, dbapi_connection: PgConnection[Any], record: ConnectionPoolEntry, _proxy: object
    ) -> None:
        """Raise ``DisconnectionError`` (the pool then hands out a new connection) if the
        connection is known broken, or idled too long and does not answer."""
        if dbapi_connection.closed or dbapi_connection.broken:
            raise exc.DisconnectionError("the connection is closed")
        returned = record.info.get(_RETURNED)
        if returned is None or time.monotonic() - returned <= self.tuning.ping_after_s:
            return  # new, or used a moment ago
        try:
            dbapi_connection.execute("SELECT 1")
            dbapi_connection.rollback()
        except Exception as error:  # any failure: the pool replaces it
            raise exc.DisconnectionError(f"the connection does not answer: {error}") from error

    def in_list(self, column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
        """One array parameter (``= ANY``): the statement's text and parse do not grow with
        the list."""
        return column == any_(bindparam(name, type_=ARRAY(column.type)))

    def statements(self, build: Callable[[Backend], T]) -> T:
        if build not in self._made:
            self._made[build] = build(self)
        return cast(T, self._made[build])

    def key_lookups(self, conn: Connection) -> AbstractContextManager[None]:
        return key_lookups(conn)

    def lock_keys(self, conn: Connection, keys: Iterable[str]) -> None:
        found = sorted(set(keys))
        if found:
            conn.execute(_LOCK, {"keys": found})

    def allocate_ids(self, conn: Connection, tbl: Table, count: int) -> list[int]:
        if count == 0:
            return []
        return sorted(conn.execute(_NEXT_IDS, {"table": tbl.name, "n": count}).scalars())

    def insert(self, conn: Connection, tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        if len(rows) >= self.tuning.copy_min:
            copy_rows(_driver(conn), tbl, rows)
        elif rows:
            conn.execute(_insert(tbl), list(rows))

    @contextmanager
    def sink(self, conn: Connection, size: int) -> Iterator[Sink]:
        """In the background from ``copy_min`` rows on: then the stored decision rows that a
        new assessment repeats are kept (:class:`Cleared`), not deleted and written again."""
        if size < self.tuning.copy_min:
            yield ImmediateSink(conn, self.insert, _clear_all)
            return
        found = BackgroundSink(conn, _driver(conn), lambda subjects: _clear(conn, subjects))
        try:
            yield found
        except BaseException:
            with suppress(BaseException):
                found.close(discard=True)
            raise
        found.close()

    def first_value(self, conn: Connection, sql: str) -> Any:
        found = _driver(conn).execute(sql).fetchone()
        return None if found is None else found[0]

    def run_check(
        self, conn: Connection, pairs: Sequence[tuple[str, str]], audit: CheckAudit
    ) -> None:
        run_check(conn, pairs, audit, self.tuning.check_copy_from)


def _returned(_dbapi_connection: object, record: ConnectionPoolEntry) -> None:
    record.info[_RETURNED] = time.monotonic()


def _clear_all(conn: Connection, subjects: list[str]) -> Cleared:
    found = conn.execute(_CLEAR[False], {"subjects": subjects})
    return gathered(found, keep_decisions=False)


def _clear(conn: Connection, subjects: list[str]) -> Cleared:
    found = conn.execute(_CLEAR[True], {"subjects": subjects})
    return gathered(found, keep_decisions=True)
