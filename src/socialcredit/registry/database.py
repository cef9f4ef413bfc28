"""Engines and transactions: SQLite and PostgreSQL through one code path.

SQLite gets foreign keys, WAL, a larger page cache, fewer checkpoints and ``BEGIN IMMEDIATE``
transactions (one writer at a time, so that two writers never read the same audit head).
PostgreSQL serialises audit appends with ``SELECT ... FOR UPDATE`` on the registry's state row
(see :mod:`socialcredit.registry.audit`).
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url

from socialcredit.errors import InputError

BACKENDS = ("sqlite", "postgresql")

CACHE_KIB = 32 * 1024
"""SQLite's page cache per connection, at most (its default is 2 MiB). The audit log's index
of subject pseudonyms takes every check's entry at a random place, and with the default cache
its pages are read back from the file again and again. Appending 1,000 check entries to a copy
of the API benchmark's registry (300 appends in a row) took 4-6 ms to insert instead of
6-10 ms."""

CHECKPOINT_PAGES = 10_000
"""WAL pages (4 KiB each) after which a commit copies the WAL back into the database file
(SQLite's default is 1,000). 1,000 check entries dirty about 1,000 pages of that index, so at
the default nearly every batch of checks ran a checkpoint too: in the same appends a commit
took 13-27 ms, against 7-15 ms at 10,000 (the WAL file grows to about 40 MiB between
checkpoints)."""


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy emits BEGIN itself (below)
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
    cursor.execute(f"PRAGMA wal_autocheckpoint={CHECKPOINT_PAGES}")
    cursor.close()


def driver_date(value: date | str) -> date:
    """A date column's value as the driver gives it (SQLite's gives the stored ISO text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _sqlite_begin(connection: Any) -> None:
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def parse_database_url(url: str) -> URL:
    """``url`` parsed, or an :class:`InputError` that names what is wrong without repeating
    the URL (it may hold a password)."""
    try:
        parsed = make_url(url)
        _ = parsed.port  # a port that is not a number fails only when read
    except (exc.ArgumentError, ValueError) as error:
        raise InputError(
            "not a database URL: expected sqlite:///PATH or "
            "postgresql+psycopg://USER@HOST:PORT/DATABASE",
            {"reason": type(error).__name__},
        ) from None
    if parsed.get_backend_name() not in BACKENDS:
        raise InputError(
            f"unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL",
            {"backend": parsed.get_backend_name()},
        )
    return parsed


def create_db_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's directory is created if missing."""
    parsed = parse_database_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed)
    event.listen(engine.pool, "checkin", _returned)
    event.listen(engine.pool, "checkout", _ping_if_idle)
    return engine


PING_AFTER_S = 1.0
"""A pooled PostgreSQL connection idle for longer than this is pinged before it is handed out
(a connection that the server or the network dropped is then replaced, not failed on); one
used more recently is handed out as it is. SQLAlchemy's ``pool_pre_ping`` pinged at every
checkout: one round trip more for every in-process check (which now makes two)."""

_RETURNED = "socialcredit.returned"


def _returned(_dbapi_connection: Any, record: Any) -> None:
    record.info[_RETURNED] = time.monotonic()


def _ping_if_idle(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
    """Raise ``DisconnectionError`` (the pool then hands out a new connection) if the
    connection is known broken, or was idle for over ``PING_AFTER_S`` and does not answer."""
    if dbapi_connection.closed or dbapi_connection.broken:
        raise exc.DisconnectionError("the connection is closed")
    returned = record.info.get(_RETURNED)
    if returned is None or time.monotonic() - returned <= PING_AFTER_S:
        return  # new, or used a moment ago
    try:
        dbapi_connection.execute("SELECT 1")
        dbapi_connection.rollback()
    except Exception as error:  # any failure: the pool replaces it
        raise exc.DisconnectionError(f"the connection does not answer: {error}") from error
