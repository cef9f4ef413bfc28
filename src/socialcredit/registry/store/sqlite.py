"""SQLite: the embedded default.

Foreign keys on, WAL with ``synchronous=NORMAL``, a larger page cache, fewer checkpoints, and
``BEGIN IMMEDIATE`` transactions: one writer at a time, so two writers never read the same
audit head and need no other lock. A transaction's chunk writes go in at once, one
executemany ``INSERT`` per table; a record's id is the next after the largest (what SQLite's
row ids would give), drawn inside the writer's lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from functools import cache
from pathlib import Path
from typing import Any, TypeVar, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Insert,
    Table,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    select,
)
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import URL

from socialcredit.registry.store.backend import Backend, CheckAudit
from socialcredit.registry.store.checksql import CheckSql
from socialcredit.registry.store.clearing import clear_each, clear_statements
from socialcredit.registry.store.copytext import to_json
from socialcredit.registry.store.immediate import ImmediateSink
from socialcredit.registry.store.sink import Cleared, Sink

T = TypeVar("T")

CACHE_KIB = 32 * 1024
"""SQLite's page cache per connection, at most (its default is 2 MiB). The audit log's index
of subject pseudonyms takes every check's entry at a random place; with the default cache its
pages are read back from the file again and again."""

CHECKPOINT_PAGES = 10_000
"""WAL pages (4 KiB each) after which a commit copies the WAL back into the database file
(SQLite's default is 1,000, which a batch of checks dirties on its own, so nearly every batch
ran a checkpoint too). The WAL file grows to about 40 MiB between checkpoints."""

_SQL = CheckSql.compile(sqlite.dialect(paramstyle="named"), postgres=False)


@cache
def _insert(tbl: Table) -> Insert:
    return insert(tbl)


def _connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
    cursor.close()


def _begin(connection: Connection) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def _driver(conn: Connection) -> sqlite3.Connection:
    return cast(sqlite3.Connection, conn.connection.driver_connection)


class SqliteBackend:
    """The :class:`~socialcredit.registry.store.backend.Backend` of SQLite."""

    name = "sqlite"

    def __init__(self) -> None:
        self._made: dict[Callable[..., Any], Any] = {}

    def create_engine(self, url: URL) -> Engine:
        database = url.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _connect)
        event.listen(engine, "begin", _begin)
        return engine

    def in_list(self, column: ColumnElement[Any], name: str) -> ColumnElement[bool]:
        return column.in_(bindparam(name, expanding=True))

    def statements(self, build: Callable[[Backend], T]) -> T:
        if build not in self._made:
            self._made[build] = build(self)
        return cast(T, self._made[build])

    def key_lookups(self, conn: Connection) -> AbstractContextManager[None]:
        return nullcontext()  # SQLite's planner uses the indexes without being told

    def lock_keys(self, conn: Connection, keys: Iterable[str]) -> None:
        return None  # one writer at a time already (BEGIN IMMEDIATE)

    def allocate_ids(self, conn: Connection, tbl: Table, count: int) -> list[int]:
        last = conn.execute(select(func.coalesce(func.max(tbl.c.id), 0))).scalar_one()
        return list(range(last + 1, last + 1 + count))

    def insert(self, conn: Connection, tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            conn.execute(_insert(tbl), list(rows))

    @contextmanager
    def sink(self, conn: Connection, size: int) -> Iterator[Sink]:
        q = self.statements(clear_statements)

        def clear(conn: Connection, subjects: list[str]) -> Cleared:
            return clear_each(conn, q, subjects)

        yield ImmediateSink(conn, self.insert, clear)

    def first_value(self, conn: Connection, sql: str) -> Any:
        found = _driver(conn).execute(sql).fetchone()
        return None if found is None else found[0]

    def run_check(
        self, conn: Connection, pairs: Sequence[tuple[str, str]], audit: CheckAudit
    ) -> None:
        """The read is a statement of its own (its own snapshot), fetched before the write
        transaction (``BEGIN IMMEDIATE``) starts: the writer's lock covers the append only."""
        raw = _driver(conn)  # in autocommit mode (isolation_level None, see _connect)
        try:
            rows = raw.execute(_SQL.checked, _SQL.paired(pairs)).fetchall()
            raw.execute("BEGIN IMMEDIATE")
            head = raw.execute(_SQL.lock_head).fetchone()
            if not rows or head is None:
                raise LookupError("registry state missing")
            written = audit(rows, head)
            if written:
                json = [row | {"details": to_json(row["details"])} for row in written]
                raw.executemany(_SQL.insert, json)
                moved = {"new_seq": written[-1]["seq"], "new_head": written[-1]["hash"]}
                raw.execute(_SQL.move_head, moved)
            raw.commit()
        except BaseException:
            raw.rollback()
            raise
