"""Bulk writes inside the caller's transaction: ``COPY`` on PostgreSQL, executemany elsewhere.

On PostgreSQL a chunk's rows go through psycopg's ``COPY ... FROM STDIN`` on the very connection
(and so the very transaction) of the SQLAlchemy ``Connection``: one stream per table instead of a
round trip per row, and no statement to parse. Each table's rows are formatted here as one block
of COPY text (:func:`copy_text`); JSON columns are sent as compact JSON text (:func:`to_json`;
the same values SQLAlchemy would store). :class:`Copies` sends a chunk's tables without
blocking, stepped by the caller between units of its work, while it computes the next rows. Row
ids that the caller needs (records) are drawn from the table's sequence first and written
explicitly. On SQLite the same rows go through one Core executemany ``INSERT``.
"""

from __future__ import annotations

import gc
import select
from collections import deque
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import cache
from operator import itemgetter
from typing import Any

import orjson
from psycopg import errors, pq
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
    Row,
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
def key_lookups(conn: Connection) -> Iterator[None]:
    """Within the block (PostgreSQL), plan statements without sequential scans.

    The registry's chunked reads and deletes look rows up by key (``= ANY`` of a chunk's
    subjects or records), and every such key leads an index. The planner picks a sequential
    scan when a table has no statistics yet, as after a bulk load that autovacuum has not
    analysed: each chunk then reads whole tables, and a load slows down as it grows.

    The setting holds for every such statement, however few its keys: psycopg prepares a
    statement run five times, and PostgreSQL then keeps one generic plan for it, made under the
    settings and statistics of that moment and reused whatever they are later. A plan made
    outside the block (once, when a small submission was left to the planner) scanned two
    assessment tables whole for every later chunk too: 145-190 ms a chunk at 10,000 subjects
    instead of 2-12 ms, and the bulk benchmark's server CPU per record grew with the tables
    until autovacuum analysed them (an analysis makes PostgreSQL drop its cached plans).
    JIT compilation is off in the block too: a statement that must scan (the registry's one
    state row, read and moved by the audit append) costs 10^10 more with sequential scans off,
    far above ``jit_above_cost``, and was compiled for 15-23 ms each time.

    Both settings are local to the transaction (``set_config(..., true)``), and the block puts
    back the values it found (one statement each way). Nested blocks are one block.
    """
    if not is_postgres(conn):
        yield
        return
    depth = conn.info.get(_KEY_LOOKUPS, 0)
    before: Row[Any] | None = None
    if depth == 0:
        before = conn.exec_driver_sql(_LOOKUPS_ON).one()
    conn.info[_KEY_LOOKUPS] = depth + 1
    try:
        yield
    except BaseException:
        conn.info[_KEY_LOOKUPS] = depth  # the transaction is rolled back, and the settings
        raise
    conn.info[_KEY_LOOKUPS] = depth
    if before is not None:
        conn.exec_driver_sql(_LOOKUPS_OFF, {"seqscan": before.seqscan, "jit": before.jit})


_KEY_LOOKUPS = "socialcredit.key_lookups"
# The values before (read first: OFFSET 0 keeps the subquery from being merged), then set.
_LOOKUPS_ON = (
    "SELECT seqscan, jit, set_config('enable_seqscan', 'off', true), set_config('jit', 'off',"
    " true) FROM (SELECT current_setting('enable_seqscan') AS seqscan, current_setting('jit')"
    " AS jit OFFSET 0) AS found"
)
_LOOKUPS_OFF = (
    "SELECT set_config('enable_seqscan', %(seqscan)s, true), set_config('jit', %(jit)s, true)"
)


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
    if not rows:
        return
    statement, data = copy_text(tbl, rows)
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


# Each column of a block is formatted as a whole (the loops over its values run in C where
# they can): most of a block's strings need no escape, and a block's rows share a few dates.
_NONE = type(None)


def _texts(values: list[Any]) -> list[str]:
    """Strings: as they are when none of the column's needs an escape (one check of all of
    them), else one by one."""
    kinds = set(map(type, values))
    if kinds <= {str, _NONE}:
        present = [v for v in values if v is not None] if _NONE in kinds else values
        joined = "".join(present)
        # tab, newline and carriage return are not printable: two scans instead of four
        if joined.isprintable() and "\\" not in joined:
            return [_NULL if v is None else v for v in values] if _NONE in kinds else values
    return list(map(_text, values))


def _integers(values: list[Any]) -> list[str]:
    if None in values:
        return [_NULL if v is None else str(v) for v in values]
    return list(map(str, values))


def _isos(values: list[Any]) -> list[str]:
    """ISO dates and times, each distinct one written once."""
    seen = {v: _NULL if v is None else v.isoformat() for v in set(values)}
    return list(map(seen.__getitem__, values))


def _jsons(values: list[Any]) -> list[str]:
    """JSON text; the same object as the row before (the active policies' list on every row)
    is written once."""
    found: list[str] = []
    last: Any = found  # no value is this list
    text = _NULL
    for value in values:
        if value is not last:
            last, text = value, _json(value)
        found.append(text)
    return found


def _column(kind: Any, values: list[Any]) -> list[str]:
    """One column's values as COPY text, by the column's type."""
    if isinstance(kind, JSON):
        return _jsons(values)
    if isinstance(kind, Date | DateTime):
        return _isos(values)
    if isinstance(kind, Boolean):
        return list(map(_boolean, values))
    if isinstance(kind, Integer):
        return _integers(values)
    return _texts(values)


@cache
def _statement(tbl: Table, columns: tuple[str, ...]) -> str:
    return f"COPY {quote(tbl.name)} ({', '.join(map(quote, columns))}) FROM STDIN"


def copy_text(tbl: Table, rows: Sequence[Mapping[str, Any]]) -> tuple[str, bytes]:
    """The ``COPY`` statement for ``rows`` (all with the same keys) and their data in COPY's
    text format (what psycopg's row writer would send), formatted column by column."""
    columns = tuple(rows[0])
    if len(columns) > 1:
        by_column = list(zip(*map(itemgetter(*columns), rows), strict=True))
    else:
        by_column = [tuple(row[columns[0]] for row in rows)]
    cells = [
        _column(tbl.c[name].type, list(values))
        for name, values in zip(columns, by_column, strict=True)
    ]
    text = "\n".join(map("\t".join, zip(*cells, strict=True)))
    return _statement(tbl, columns), (text + "\n").encode()


@dataclass(frozen=True)
class _Job:
    statement: bytes
    data: bytes | None  # a COPY's data
    params: list[bytes]


class _Pump:
    """Statements sent one after another on a psycopg connection without blocking: each a
    ``COPY ... FROM STDIN`` with its data, or a statement of text parameters.

    :meth:`step` does what can be done at once (send the statement, the data once the server
    has accepted the ``COPY``, read its result and start the next one) and returns; the caller
    steps between units of its own work, so the server stores one table while the caller
    computes, with no thread and no contention for the interpreter lock. :meth:`finish` blocks
    until every statement is done. After a failed statement nothing more is sent (the
    transaction is aborted) and :meth:`finish` raises its error.
    """

    def __init__(self, pgconn: Any) -> None:
        self._pg = pgconn  # psycopg keeps libpq in nonblocking mode
        self._jobs: deque[_Job] = deque()
        self._data: bytes | None = None  # the running COPY's data, until the server accepts it
        self._running = False
        self._error: Exception | None = None

    def add(self, statement: str, data: bytes | None, params: Sequence[str] = ()) -> None:
        """Queue ``statement``: a ``COPY ... FROM STDIN`` of ``data``, or (``data`` None) a
        statement of text parameters ``$1``, ``$2``..."""
        self._jobs.append(_Job(statement.encode(), data, [p.encode() for p in params]))
        self.step()

    def step(self) -> bool:
        """Advance without blocking; whether something is still to be sent or awaited."""
        pg = self._pg
        while True:
            if not self._running:
                if not self._jobs or self._error is not None:
                    return False
                job = self._jobs.popleft()
                if job.data is None:
                    pg.send_query_params(job.statement, job.params)
                else:
                    pg.send_query(job.statement)
                self._data, self._running = job.data, True
            if pg.flush() != 0:
                return True  # the socket is full: the server is still reading
            pg.consume_input()
            if pg.is_busy():
                return True
            self._result(pg.get_result())

    def _result(self, result: Any) -> None:
        """Take the running statement's next result: the server ready for the data, or done."""
        if result is None:  # the statement is over (and the connection ready)
            self._running = False
        elif result.status == pq.ExecStatus.COPY_IN:
            # queued whole (libpq grows its buffer; 0 would mean it could not) and sent by the
            # next steps
            queued = self._pg.put_copy_data(self._data or b"") + self._pg.put_copy_end(None)
            if queued != 2:
                raise errors.OperationalError("the COPY data could not be queued")
            self._data = None
        elif result.status != pq.ExecStatus.COMMAND_OK and self._error is None:
            self._error = errors.error_from_result(result, encoding="utf-8")

    def finish(self, discard: bool = False) -> None:
        """Block until every statement is done (``discard``: those not yet sent are dropped,
        the transaction failing anyway); raise the first error."""
        if discard:
            self._jobs.clear()
        while self.step():
            writing = [self._pg.socket] if self._pg.flush() != 0 else []
            select.select([self._pg.socket], writing, [])
        if self._error is not None:
            raise self._error


def _text_array(values: Sequence[str]) -> str:
    """A ``text[]`` literal of ``values`` (every element quoted)."""
    quoted = (v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'"{v}"' for v in quoted) + "}"


class Copies:
    """A transaction's bulk rows, table after table, in the order given.

    In the background (PostgreSQL, a chunk's many rows): each table's rows are formatted here
    (:func:`copy_text`) and sent with ``COPY`` by a :class:`_Pump` on the connection, in order,
    advanced by :meth:`poll` (which the caller calls between units of its own work) and by each
    :meth:`put`; the server stores one table while the engine assesses. Until the block ends
    (which waits for the last ``COPY`` and raises the first error) the caller must not use the
    connection. Otherwise each table goes in at once (:func:`insert_rows`).
    """

    def __init__(self, conn: Connection, background: bool) -> None:
        self._conn = conn
        self._pump: _Pump | None = None
        if background and is_postgres(conn):
            raw = conn.connection.driver_connection
            assert raw is not None
            if raw.info.transaction_status == pq.TransactionStatus.IDLE and not raw.autocommit:
                # psycopg opens its transaction with its first statement; the pump's statements
                # bypass it, so one is run here (a chunk has always read something before)
                raw.execute("SELECT 1")
            self._pump = _Pump(raw.pgconn)

    @property
    def background(self) -> bool:
        return self._pump is not None

    def put(self, tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        """Insert ``rows`` (all with the same keys) into ``tbl``."""
        if not rows:
            return
        if self._pump is None:
            insert_rows(self._conn, tbl, rows)
        else:
            self._pump.add(*copy_text(tbl, rows))

    def delete_pairs(
        self, tbl: Table, columns: tuple[str, str], pairs: Sequence[tuple[str, str]]
    ) -> None:
        """Delete the rows of ``tbl`` whose two text ``columns`` hold one of ``pairs``, after
        the rows put so far: one statement, in the background only."""
        if self._pump is None:
            raise RuntimeError("delete_pairs runs in the background only")
        firsts, seconds = zip(*pairs, strict=True)
        a, b = map(quote, columns)
        statement = (
            f"DELETE FROM {quote(tbl.name)} WHERE ({a}, {b}) IN "
            "(SELECT * FROM unnest($1::text[], $2::text[]))"
        )
        self._pump.add(statement, None, (_text_array(firsts), _text_array(seconds)))

    def poll(self) -> None:
        """Let the background ``COPY`` go on (a few non-blocking calls; nothing otherwise)."""
        if self._pump is not None:
            self._pump.step()

    def close(self, discard: bool = False) -> None:
        """Wait for every ``COPY`` (``discard``: for the one running only); raise the first
        error."""
        pump, self._pump = self._pump, None
        if pump is not None:
            pump.finish(discard)


@contextmanager
def copies(conn: Connection, background: bool) -> Iterator[Copies]:
    """A :class:`Copies` for the block; its background ``COPY`` is done when the block ends,
    even when it raises (then the rows not yet sent are dropped)."""
    found = Copies(conn, background)
    try:
        yield found
    except BaseException:
        with suppress(BaseException):
            found.close(discard=True)
        raise
    found.close()


def next_ids(conn: Connection, tbl: Table, count: int) -> list[int] | None:
    """``count`` fresh ids from the sequence of ``tbl.id``, ascending, when the rows will go in
    with ``COPY``; else None (the ids come back from the ``INSERT``)."""
    if not uses_copy(conn, count):
        return None
    found = conn.execute(_NEXT_IDS, {"table": tbl.name, "n": count}).scalars()
    return sorted(found)


# The sequence is looked up once (``OFFSET 0`` keeps the subquery from being merged into the
# outer query, where the lookup and the cast ran again for every id: about 4 µs an id).
_NEXT_IDS = text(
    "SELECT nextval(s.seq) FROM (SELECT pg_get_serial_sequence(:table, 'id')::regclass AS seq"
    " OFFSET 0) AS s, generate_series(1, :n)"
)


def in_list(column: ColumnElement[Any], name: str, postgres: bool) -> ColumnElement[bool]:
    """``column IN (the list bound as name)``: one array parameter on PostgreSQL (``= ANY``, so
    the statement text and its parse do not grow with the list), an expanding one elsewhere."""
    if postgres:
        return column == any_(bindparam(name, type_=ARRAY(column.type)))
    return column.in_(bindparam(name, expanding=True))
