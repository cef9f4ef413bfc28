"""PostgreSQL's check transaction: one pipeline, two round trips.

The ``BEGIN``, the read and the head's ``SELECT ... FOR UPDATE`` go in one round trip, the
writes with the ``COMMIT`` in another. The check sends its own ``BEGIN`` and ``COMMIT`` in its
pipeline: in pipeline mode psycopg waits for the server after the ``BEGIN`` it starts a
transaction with and after ``commit()``, which made a check four round trips instead of two.
The driver connection is in autocommit mode meanwhile; if it cannot be put back (not idle) it
is invalidated, never pooled in autocommit mode. Many audit rows (a batch request) go by
``COPY`` after the pipeline (``COPY`` cannot be pipelined).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, cast

from psycopg import Connection as PgConnection
from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql

from socialcredit.registry.store.backend import CheckAudit
from socialcredit.registry.store.checksql import CheckSql
from socialcredit.registry.store.copytext import copy_rows, to_json
from socialcredit.registry.store.headsql import ENTRIES

_SQL = CheckSql.compile(postgresql.psycopg.dialect(), postgres=True)  # type: ignore[no-untyped-call]

GENERIC_PLANS = "SET LOCAL plan_cache_mode = force_generic_plan"
"""The check's read is planned once per connection, not at every check: with the default plan
cache PostgreSQL kept planning it for its parameters, for the same plan as the generic one."""


@contextmanager
def _own_transaction(conn: Connection, raw: PgConnection[Any]) -> Iterator[None]:
    raw.autocommit = True
    try:
        yield
    finally:
        try:
            raw.autocommit = False
        except Exception:  # not idle: broken, or left in a transaction
            conn.invalidate()


def _append(raw: PgConnection[Any], rows: list[dict[str, Any]], copy: bool) -> None:
    """Append ``rows`` (by ``COPY`` if ``copy``), move the head and commit."""
    if copy:
        copy_rows(raw, ENTRIES, rows)
    elif rows:
        json = [row | {"details": to_json(row["details"])} for row in rows]
        raw.cursor().executemany(_SQL.insert, json)
    if rows:
        moved = {"new_seq": rows[-1]["seq"], "new_head": rows[-1]["hash"]}
        raw.cursor().execute(_SQL.move_head, moved)
    raw.execute("COMMIT")  # queued in the pipeline with the writes


def _transaction(
    raw: PgConnection[Any], pairs: Sequence[tuple[str, str]], audit: CheckAudit, copy_from: int
) -> None:
    try:
        with raw.pipeline():
            raw.execute("BEGIN")
            raw.execute(GENERIC_PLANS)
            read = raw.cursor()
            read.execute(_SQL.checked, _SQL.paired(pairs))
            lock = raw.cursor()
            lock.execute(_SQL.lock_head)
            rows = read.fetchall()
            head = lock.fetchone()
            if not rows or head is None:
                raise LookupError("registry state missing")
            written = audit(rows, head)
            copy = len(written) >= copy_from
            if not copy:
                _append(raw, written, copy=False)
        if copy:
            _append(raw, written, copy=True)
    except BaseException:
        raw.rollback()
        raise


def run_check(
    conn: Connection, pairs: Sequence[tuple[str, str]], audit: CheckAudit, copy_from: int
) -> None:
    """The check transaction on ``conn``'s driver connection; from ``copy_from`` audit rows on
    they go by ``COPY``."""
    raw = cast(PgConnection[Any], conn.connection.driver_connection)
    with _own_transaction(conn, raw):
        _transaction(raw, pairs, audit, copy_from)
