"""A writer that stores each table's rows at once (SQLite; PostgreSQL's small writes)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Table, delete, tuple_

from socialcredit.registry.store.backend import Cleared

Insert = Callable[[Connection, Table, Sequence[Mapping[str, Any]]], None]
Clear = Callable[[Connection, list[str]], Cleared]


class ImmediateWriter:
    """Each :meth:`put` inserts at once; nothing runs in the background."""

    def __init__(self, conn: Connection, insert: Insert, clear: Clear) -> None:
        self._conn, self._insert, self._clear = conn, insert, clear

    @property
    def background(self) -> bool:
        return False

    def clear_assessments(self, subjects: list[str]) -> Cleared:
        return self._clear(self._conn, subjects)

    def put(self, tbl: Table, rows: Sequence[Mapping[str, Any]]) -> None:
        if rows:
            self._insert(self._conn, tbl, rows)

    def delete_pairs(
        self, tbl: Table, columns: tuple[str, str], pairs: Sequence[tuple[str, str]]
    ) -> None:
        if pairs:
            both = tuple_(tbl.c[columns[0]], tbl.c[columns[1]])
            self._conn.execute(delete(tbl).where(both.in_(pairs)))

    def poll(self) -> None:
        return None
