"""Statements sent one after another on a psycopg connection without blocking."""

from __future__ import annotations

import select
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from psycopg import errors, pq
from psycopg.pq.abc import PGconn, PGresult


@dataclass(frozen=True)
class _Job:
    statement: bytes
    data: bytes | None  # a COPY's data
    params: list[bytes]


class Pump:
    """Statements sent one after another on a psycopg connection without blocking: each a
    ``COPY ... FROM STDIN`` with its data, or a statement of text parameters.

    :meth:`step` does what can be done at once (send the statement, the data once the server
    has accepted the ``COPY``, read its result and start the next one) and returns; the caller
    steps between units of its own work, so the server stores one table while the caller
    computes, with no thread and no contention for the interpreter lock. :meth:`finish` blocks
    until every statement is done. After a failed statement nothing more is sent (the
    transaction is aborted) and :meth:`finish` raises its error.
    """

    def __init__(self, pgconn: PGconn) -> None:
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

    def _result(self, result: PGresult | None) -> None:
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


def text_array(values: Sequence[str]) -> str:
    """A ``text[]`` literal of ``values`` (every element quoted)."""
    quoted = (v.replace("\\", "\\\\").replace('"', '\\"') for v in values)
    return "{" + ",".join(f'"{v}"' for v in quoted) + "}"
