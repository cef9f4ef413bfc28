"""The database's own plan of a statement: which index it reads, and by which condition.

Used to show that a periodic job can read a range of an index in its own order (the rows it
needs, and no more once its ``LIMIT`` is reached), not every row to filter or sort them. On
PostgreSQL the test tables are tiny, where a scan and a sort are cheapest, so both are turned
off for the plan: what is left is whether an index can give the rows in order.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.sql import Select

from socialcredit.registry import Registry


def _index_node(plan: dict[str, Any]) -> dict[str, Any]:
    """The first node of a PostgreSQL plan that reads an index; no full sort on the way to it
    (the index gives the rows in the statement's order, so a ``LIMIT`` stops the reading; an
    incremental sort of rows that share the index's key is allowed)."""
    while "Index Name" not in plan:
        assert plan["Node Type"] != "Sort", plan
        (plan,) = plan["Plans"]
    return plan


def _index_read(conn: Connection, statement: Select[Any]) -> str:
    """``index: condition`` (PostgreSQL) or SQLite's plan lines."""
    text = str(statement.compile(conn, compile_kwargs={"literal_binds": True}))
    if conn.dialect.name == "sqlite":
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {text}").all()
        return "\n".join(str(row[-1]) for row in rows)
    conn.exec_driver_sql("SET LOCAL enable_seqscan = off")  # as on a large table
    conn.exec_driver_sql("SET LOCAL enable_sort = off")  # a sort only where no index gives order
    found = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {text}").scalar_one()
    node = _index_node(found[0]["Plan"])
    return f"{node['Index Name']}: {node.get('Index Cond', '')}"


def assert_index_range(reg: Registry, statement: Select[Any], index: str, column: str) -> None:
    """``statement`` reads ``index`` as a range bounded on ``column``."""
    with reg.engine.connect() as conn, conn.begin():
        found = _index_read(conn, statement)
    if reg.engine.dialect.name == "sqlite":
        bounds = found.partition(f"USING INDEX {index} (")[2].partition(")")[0]
        assert column in bounds, found
        assert "TEMP B-TREE FOR ORDER BY" not in found, found  # a full sort (a partial one is fine)
    else:
        assert found.startswith(f"{index}: ") and column in found.split(": ", 1)[1], found
