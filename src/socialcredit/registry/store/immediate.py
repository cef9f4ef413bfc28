"""A sink that stores each change at once (SQLite; PostgreSQL's small writes)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, tuple_

from socialcredit.registry.store.sink import Cleared, PairDeletes, Rows, Writes, combined

Insert = Callable[[Connection, Table, Sequence[Mapping[str, Any]]], None]
Clear = Callable[[Connection, list[str]], Cleared]


class ImmediateSink:
    """Each :meth:`write` combines its writes into one statement per table and runs them
    before it returns; nothing runs in the background."""

    def __init__(self, conn: Connection, insert: Insert, clear: Clear) -> None:
        self._conn, self._insert, self._clear = conn, insert, clear

    def clear_assessments(self, subjects: list[str]) -> Cleared:
        return self._clear(self._conn, subjects)

    def write(self, writes: Writes) -> None:
        for change in combined(writes):
            if isinstance(change, Rows):
                self._insert(self._conn, change.table, change.rows)
            else:
                self._delete(change)

    def _delete(self, change: PairDeletes) -> None:
        tbl, (a, b) = change.table, change.columns
        both = tuple_(tbl.c[a], tbl.c[b])
        self._conn.execute(delete(tbl).where(both.in_(list(change.pairs))))
