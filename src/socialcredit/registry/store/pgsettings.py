"""PostgreSQL: keyed lookups planned without sequential scans.

The registry's chunked reads and deletes look rows up by key (``= ANY`` of a chunk's subjects
or records), and every such key leads an index. The planner picks a sequential scan when a
table has no statistics yet, as after a bulk load that autovacuum has not analysed: each chunk
then reads whole tables, and a load slows down as it grows.

The setting holds for every such statement, however few its keys: psycopg prepares a statement
run five times, and PostgreSQL then keeps one generic plan for it, made under the settings and
statistics of that moment and reused whatever they are later; a plan made for a small
submission into tables without statistics scanned whole tables for every later chunk. JIT
compilation is off in the block too: a statement that must scan (the registry's one state row)
costs far above ``jit_above_cost`` with sequential scans off, and was compiled every time.

Both settings are local to the transaction (``set_config(..., true)``), and the block puts
back the values it found (one statement each way). Nested blocks are one block.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Row

KEY_LOOKUPS = "socialcredit.key_lookups"
# The values before (read first: OFFSET 0 keeps the subquery from being merged), then set.
LOOKUPS_ON = (
    "SELECT seqscan, jit, set_config('enable_seqscan', 'off', true), set_config('jit', 'off',"
    " true) FROM (SELECT current_setting('enable_seqscan') AS seqscan, current_setting('jit')"
    " AS jit OFFSET 0) AS found"
)
LOOKUPS_OFF = (
    "SELECT set_config('enable_seqscan', %(seqscan)s, true), set_config('jit', %(jit)s, true)"
)


@contextmanager
def key_lookups(conn: Connection) -> Iterator[None]:
    """Within the block, plan statements without sequential scans (see the module)."""
    depth = conn.info.get(KEY_LOOKUPS, 0)
    before: Row[Any] | None = None
    if depth == 0:
        before = conn.exec_driver_sql(LOOKUPS_ON).one()
    conn.info[KEY_LOOKUPS] = depth + 1
    try:
        yield
    except BaseException:
        conn.info[KEY_LOOKUPS] = depth  # the transaction is rolled back, and the settings
        raise
    conn.info[KEY_LOOKUPS] = depth
    if before is not None:
        conn.exec_driver_sql(LOOKUPS_OFF, {"seqscan": before.seqscan, "jit": before.jit})
