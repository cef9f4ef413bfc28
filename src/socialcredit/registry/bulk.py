"""Bulk writes inside the caller's transaction: ``COPY`` on PostgreSQL, executemany elsewhere.

On PostgreSQL a chunk's rows go through psycopg's ``COPY ... FROM STDIN`` on the very connection
(and so the very transaction) of the SQLAlchemy ``Connection``: one stream per table instead of a
round trip per row, and no statement to parse. JSON columns are sent as compact JSON text
(:func:`to_json`; the same values SQLAlchemy would store). Row ids that the caller needs
(records) are drawn from the table's sequence first and written explicitly. On SQLite the same
rows go through one Core executemany ``INSERT``.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import cache
from itertools import chain
from typing import Any

from pydantic_core import to_json as _to_json
from sqlalchemy import JSON, ColumnElement, Connection, Insert, Table, any_, bindparam, insert, text
from sqlalchemy.dialects.postgresql import ARRAY

# Below this many rows a plain executemany is cheaper than opening a COPY (two round trips).
COPY_MIN = 16


def is_postgres(conn: Connection) -> bool:
    return conn.dialect.name == "postgresql"


@contextmanager
def key_lookups(conn: Connection, keys: int) -> Iterator[None]:
    """Within the block (PostgreSQL, a chunk of ``keys`` keys), plan statements without
    sequential scans.

    The registry's chunked reads and deletes look rows up by key (``= ANY`` of a chunk's
    subjects or records), and every such key leads an index. The planner picks a sequential
    scan when a table has no statistics yet, as after a bulk load that autovacuum has not
    analysed: each chunk then reads whole tables, and a load slows down as it grows. A few keys
    are planned as index lookups anyway: below ``LOOKUPS_MIN`` keys nothing is set (two round
    trips saved). ``SET LOCAL`` ends with the transaction; the block restores the session's
    value. Nested blocks are one block.
    """
    if keys < LOOKUPS_MIN or not is_postgres(conn):
        yield
        return
    depth = conn.info.get(_KEY_LOOKUPS, 0)
    if depth == 0:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
    conn.info[_KEY_LOOKUPS] = depth + 1
    try:
        yield
    except BaseException:
        conn.info[_KEY_LOOKUPS] = depth  # the transaction is rolled back, and the setting
        raise
    conn.info[_KEY_LOOKUPS] = depth
    if depth == 0:
        conn.exec_driver_sql("RESET enable_seqscan")


_KEY_LOOKUPS = "socialcredit.key_lookups"
LOOKUPS_MIN = 50


def uses_copy(conn: Connection, count: int) -> bool:
    """Whether ``count`` rows go in with ``COPY``."""
    return count >= COPY_MIN and is_postgres(conn)


@cache
def _insert(tbl: Table) -> Insert:
    return insert(tbl)


@cache
def json_columns(tbl: Table) -> frozenset[str]:
    return frozenset(c.name for c in tbl.columns if isinstance(c.type, JSON))


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def to_json(value: Any) -> str:
    """Compact JSON text of ``value`` (pydantic-core's encoder: several times faster than the
    standard library's; the same JSON, with non-ASCII characters written as themselves)."""
    return _to_json(value).decode()


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold back the cyclic garbage collector during a chunk's work.

    A chunk allocates many short-lived, acyclic containers (rows, assessment bodies); each few
    hundred allocations start a collection, and every tenth of those walks older objects too,
    whose count grows with what the process holds. Measured on the bulk submission benchmark,
    those passes cost as much as the work itself. Anything cyclic a chunk leaves is collected
    once the collector is back on. Nested blocks leave it to the outermost.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def insert_rows(conn: Connection, tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (all with the same keys) into ``tbl`` in the current transaction."""
    if not rows:
        return
    if not uses_copy(conn, len(rows)):
        conn.execute(_insert(tbl), list(rows))
        return
    raw = conn.connection.driver_connection
    assert raw is not None
    copy_rows(raw, tbl, rows)


def copy_rows(raw: Any, tbl: Table, rows: Iterable[Mapping[str, Any]]) -> None:
    """``COPY`` ``rows`` (all with the same keys) into ``tbl`` on the psycopg connection
    ``raw``. Values are bound by position; JSON columns become their text."""
    it = iter(rows)
    first = next(it, None)
    if first is None:
        return
    columns = list(first)
    json = json_columns(tbl)
    positions = [(c, c in json) for c in columns]
    statement = f"COPY {quote(tbl.name)} ({', '.join(map(quote, columns))}) FROM STDIN"
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        write = copy.write_row
        for row in chain((first,), it):
            write(
                [
                    (None if row[c] is None else to_json(row[c])) if is_json else row[c]
                    for c, is_json in positions
                ]
            )


def next_ids(conn: Connection, tbl: Table, count: int) -> list[int] | None:
    """``count`` fresh ids from the sequence of ``tbl.id``, ascending, when the rows will go in
    with ``COPY``; else None (the ids come back from the ``INSERT``)."""
    if not uses_copy(conn, count):
        return None
    found = conn.execute(
        text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
        {"table": tbl.name, "n": count},
    ).scalars()
    return sorted(found)


def in_list(column: ColumnElement[Any], name: str, postgres: bool) -> ColumnElement[bool]:
    """``column IN (the list bound as name)``: one array parameter on PostgreSQL (``= ANY``, so
    the statement text and its parse do not grow with the list), an expanding one elsewhere."""
    if postgres:
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))
