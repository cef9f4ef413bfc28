"""Bulk writes inside the caller's transaction: ``COPY`` on PostgreSQL, executemany elsewhere.

On PostgreSQL a chunk's rows go through psycopg's ``COPY ... FROM STDIN`` on the very connection
(and so the very transaction) of the SQLAlchemy ``Connection``: one stream per table instead of a
round trip per row, and no statement to parse. Each table's rows are formatted here as one block
of COPY text (:func:`copy_text`); JSON columns are sent as compact JSON text (:func:`to_json`;
the same values SQLAlchemy would store). :class:`Copies` sends a chunk's tables from a
background thread while the caller computes the next rows. Row ids that the caller needs
(records) are drawn from the table's sequence first and written explicitly. On SQLite the same
rows go through one Core executemany ``INSERT``.
"""

from __future__ import annotations

import gc
import queue
import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from functools import cache
from typing import Any

import orjson
from pydantic_core import to_json as _to_json
from sqlalchemy import (
    JSON,
    Boolean,
    ColumnElement,
    Connection,
    Date,
    DateTime,
    Insert,
    Integer,
    Table,
    any_,
    bindparam,
    insert,
    text,
)
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


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def to_json(value: Any) -> str:
    """Compact JSON text of ``value``, non-ASCII characters written as themselves: orjson's
    encoder (about three times faster than pydantic-core's on assessment bodies, and many
    times faster than the standard library's), or pydantic-core's for what orjson refuses
    (non-string keys, decimals, integers beyond 64 bits)."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:
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


def copy_rows(raw: Any, tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """``COPY`` ``rows`` (all with the same keys) into ``tbl`` on the psycopg connection
    ``raw``, sent as one block of text (:func:`copy_text`)."""
    if rows:
        _copy(raw, *copy_text(tbl, rows))


def _copy(raw: Any, statement: str, data: bytes) -> None:
    """Send one block of COPY text on the psycopg connection ``raw``."""
    with raw.cursor() as cursor, cursor.copy(statement) as copy:
        copy.write(data)


# COPY's text format: a backslash, tab, newline or carriage return in a value is escaped.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_NULL = "\\N"


def _text(value: Any) -> str:
    if value is None:
        return _NULL
    text = value if type(value) is str else str(value)
    # tab, newline and carriage return are not printable: two scans instead of four
    if text.isprintable() and "\\" not in text:
        return text
    return text.translate(_ESCAPES)


def _integer(value: Any) -> str:
    return _NULL if value is None else str(value)


def _boolean(value: Any) -> str:
    return _NULL if value is None else ("t" if value else "f")


def _json(value: Any) -> str:
    """JSON text; only a backslash can need escaping (compact JSON has no raw control
    characters)."""
    if value is None:
        return _NULL
    if type(value) is dict and not value:
        return "{}"  # most status events' details
    found = to_json(value)
    return found.replace("\\", "\\\\") if "\\" in found else found


Format = Callable[[Any], str]


def _dates() -> Format:
    """ISO dates and times; a chunk's rows share a few (the day, the moment), each written
    once."""
    seen: dict[Any, str] = {None: _NULL}

    def iso(value: Any) -> str:
        found = seen.get(value)
        if found is None:
            found = seen[value] = value.isoformat()
        return found

    return iso


def _jsons() -> Format:
    """JSON text; the same object as the row before (the active policies' list on every row,
    shared empty details) is written once."""
    last: list[Any] = [_NULL, _NULL]  # the object, its text

    def json(value: Any) -> str:
        if value is not last[0]:
            last[0], last[1] = value, _json(value)
        text: str = last[1]
        return text

    return json


def _formats(tbl: Table, columns: tuple[str, ...]) -> list[Format]:
    """A formatter per column, for one block of rows."""
    found: list[Format] = []
    for name in columns:
        kind = tbl.c[name].type
        if isinstance(kind, JSON):
            found.append(_jsons())
        elif isinstance(kind, Date | DateTime):
            found.append(_dates())
        elif isinstance(kind, Boolean):
            found.append(_boolean)
        elif isinstance(kind, Integer):
            found.append(_integer)
        else:
            found.append(_text)  # strings
    return found


@cache
def _statement(tbl: Table, columns: tuple[str, ...]) -> str:
    return f"COPY {quote(tbl.name)} ({', '.join(map(quote, columns))}) FROM STDIN"


def copy_text(tbl: Table, rows: Sequence[Mapping[str, Any]]) -> tuple[str, bytes]:
    """The ``COPY`` statement for ``rows`` (all with the same keys) and their data in COPY's
    text format, formatted here in one pass (what psycopg's row writer would send)."""
    columns = tuple(rows[0])
    pairs = tuple(zip(columns, _formats(tbl, columns), strict=True))
    lines = ["\t".join([f(row[c]) for c, f in pairs]) for row in rows]
    lines.append("")
    return _statement(tbl, columns), "\n".join(lines).encode()


# While a background COPY runs, the interpreter hands its lock over after this many seconds
# (instead of 5 ms): the sending thread waits for the server about twice per table, and each
# time it then waits for the lock the engine holds; with the default interval those waits
# made the sender lag behind the engine.
SWITCH_INTERVAL = 0.0002
_switches = threading.Lock()
_switched = {"running": 0, "restore": 0.0}  # background Copies running; the interval they replaced


def _quick_switches(on: bool) -> None:
    """Shorten the interpreter's switch interval while any background ``COPY`` runs."""
    with _switches:
        if on:
            if _switched["running"] == 0:
                _switched["restore"] = sys.getswitchinterval()
                sys.setswitchinterval(min(SWITCH_INTERVAL, _switched["restore"]))
            _switched["running"] += 1
        else:
            _switched["running"] -= 1
            if _switched["running"] == 0:
                sys.setswitchinterval(_switched["restore"])


class Copies:
    """A transaction's bulk rows, table after table, in the order given.

    In the background (PostgreSQL, a chunk's many rows): each table's rows are formatted here
    (:func:`copy_text`) and a thread sends them with ``COPY`` on the connection, in order, while
    the caller goes on computing the next rows; the server stores one table while the engine
    assesses. Until the block ends (which waits for the last ``COPY`` and raises the first
    error) the caller must not use the connection. Otherwise each table goes in at once
    (:func:`insert_rows`).
    """

    def __init__(self, conn: Connection, background: bool) -> None:
        self._conn = conn
        self._jobs: queue.SimpleQueue[tuple[str, bytes] | None] | None = None
        self._error: BaseException | None = None
        if background and is_postgres(conn):
            raw = conn.connection.driver_connection
            _quick_switches(True)
            self._jobs = queue.SimpleQueue()
            self._thread = threading.Thread(target=self._send, args=(raw,), daemon=True)
            self._thread.start()

    @property
    def background(self) -> bool:
        return self._jobs is not None

    def put(self, tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows`` (all with the same keys) into ``tbl``."""
        if not rows:
            return
        if self._jobs is None:
            insert_rows(self._conn, tbl, rows)
        else:
            self._jobs.put(copy_text(tbl, rows))

    def _send(self, raw: Any) -> None:
        assert self._jobs is not None
        while (job := self._jobs.get()) is not None:
            if self._error is not None:
                continue  # the transaction failed: the rest is not sent
            try:
                _copy(raw, *job)
            except BaseException as exc:  # raised in the caller's thread by close()
                self._error = exc

    def close(self) -> None:
        """Wait for every ``COPY``; raise the first error."""
        if self._jobs is None:
            return
        self._jobs.put(None)
        self._thread.join()
        self._jobs = None
        _quick_switches(False)
        if self._error is not None:
            raise self._error


@contextmanager
def copies(conn: Connection, background: bool) -> Iterator[Copies]:
    """A :class:`Copies` for the block; the background thread is done when the block ends,
    even when it raises."""
    found = Copies(conn, background)
    try:
        yield found
    except BaseException:
        with suppress(BaseException):
            found.close()
        raise
    found.close()


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
