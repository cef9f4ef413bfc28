"""PostgreSQL's background sink: a transaction's chunk writes sent with ``COPY`` while the
producer computes the next ones.

Each change's rows are formatted here (:func:`~socialcredit.registry.store.copytext.copy_text`)
and queued on a :class:`~socialcredit.registry.store.pump.Pump` on the transaction's own
connection, advanced after each write taken from the producer, with no thread (a thread sending
them spent its time waiting for the interpreter lock the producer held). Until the sink is
closed nothing else may use the connection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from psycopg import Connection as PgConnection
from psycopg import pq
from sqlalchemy import Connection

from socialcredit.registry.store.copytext import copy_text, quote
from socialcredit.registry.store.pump import Pump, text_array
from socialcredit.registry.store.sink import Cleared, PairDeletes, Rows, Writes, combined

# The writes of one :meth:`BackgroundSink.write` are sent when these shares of them have been
# produced (and at the end), so that the server stores them while the producer computes the
# next ones and little is left to store once it is done; a part is at least STEP_MIN writes
# (each part costs the server a statement per table).
SHARES = (0.5, 0.8)
STEP_MIN = 50


def cuts(count: int) -> frozenset[int]:
    """After which writes (1-based) of ``count`` those so far are sent."""
    found, last = set(), 0
    for share in SHARES:
        cut = int(count * share)
        if cut - last >= STEP_MIN and count - cut >= STEP_MIN:
            found.add(cut)
            last = cut
    return frozenset(found)


class BackgroundSink:
    """A transaction's chunk writes sent in the background, in the order given.
    :meth:`clear_assessments` runs at once, before any write."""

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

    def clear_assessments(self, subjects: list[str]) -> Cleared:
        if self._started:
            raise RuntimeError("assessments are cleared before any write")
        return self._clear(subjects)

    def write(self, writes: Writes) -> None:
        for change in combined(writes, cuts(len(writes)), self._pump.step):
            self._started = True
            if isinstance(change, Rows):
                self._pump.add(*copy_text(change.table, change.rows))
            else:
                self._delete(change)

    def _delete(self, change: PairDeletes) -> None:
        """One statement, after the rows sent before."""
        firsts, seconds = zip(*change.pairs, strict=True)
        a, b = map(quote, change.columns)
        statement = (
            f"DELETE FROM {quote(change.table.name)} WHERE ({a}, {b}) IN "
            "(SELECT * FROM unnest($1::text[], $2::text[]))"
        )
        self._pump.add(statement, None, (text_array(firsts), text_array(seconds)))

    def close(self, discard: bool = False) -> None:
        """Wait for every statement sent (``discard``: for the one running only); raise the
        first error."""
        self._pump.finish(discard)
