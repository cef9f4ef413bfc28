"""PostgreSQL's background writer: a chunk's tables sent with ``COPY`` while the caller
computes the next rows.

Each table's rows are formatted here (:func:`~socialcredit.registry.store.copytext.copy_text`)
and queued on a :class:`~socialcredit.registry.store.pump.Pump` on the transaction's own
connection, advanced by :meth:`BackgroundWriter.poll` and by each :meth:`~BackgroundWriter.put`,
with no thread (a thread sending them spent its time waiting for the interpreter lock the
caller held). Until the writer is closed the caller must not use the connection for anything
else.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from psycopg import Connection as PgConnection
from psycopg import pq
from sqlalchemy import Connection, Table

from socialcredit.registry.store.backend import Cleared
from socialcredit.registry.store.copytext import copy_text, quote
from socialcredit.registry.store.pump import Pump, text_array


class BackgroundWriter:
    """A transaction's bulk rows, table after table, in the order given, sent in the
    background. :meth:`clear_assessments` runs at once, before any row is put."""

    def __init__(
        self, conn: Connection, raw: PgConnection[Any], clear: Callable[[list[str]], Cleared]
    ) -> None:
        self._conn = conn
        self._clear = clear
        if raw.info.transaction_status == pq.TransactionStatus.IDLE and not raw.autocommit:
            # psycopg opens its transaction with its first statement; the pump's statements
            # bypass it, so one is run here
            raw.execute("SELECT 1")
        self._pump = Pump(raw.pgconn)
        self._started = False

    @property
    def background(self) -> bool:
        return True

    def clear_assessments(self, subjects: list[str]) -> Cleared:
        if self._started:
            raise RuntimeError("assessments are cleared before any row is put")
        return self._clear(subjects)

    def put(self, tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self._started = True
            self._pump.add(*copy_text(tbl, rows))

    def delete_pairs(
        self, tbl: Table, columns: tuple[str, str], pairs: Sequence[tuple[str, str]]
    ) -> None:
        """One statement, after the rows put so far."""
        if not pairs:
            return
        self._started = True
        firsts, seconds = zip(*pairs, strict=True)
        a, b = map(quote, columns)
        statement = (
            f"DELETE FROM {quote(tbl.name)} WHERE ({a}, {b}) IN "
            "(SELECT * FROM unnest($1::text[], $2::text[]))"
        )
        self._pump.add(statement, None, (text_array(firsts), text_array(seconds)))

    def poll(self) -> None:
        self._pump.step()

    def close(self, discard: bool = False) -> None:
        """Wait for every ``COPY`` (``discard``: for the one running only); raise the first
        error."""
        self._pump.finish(discard)
