"""Interval-set algebra in SQL: the counterpart of ``engine.intervals.IntervalSet``.

Every set is a table of half-open rows ``[s, e)`` per group (a subject, or a subject and a
list). ``merge`` normalises a group's rows into disjoint, non-adjacent runs (gaps and islands
with a running maximum); ``minus`` sweeps the boundary events of two sets and keeps the
elementary segments covered by the first and not by the second, then merges them.
"""

from __future__ import annotations

from socialcredit.batch.dialect import OPEN_END


def merge(source: str, keys: str) -> str:
    """Runs of the union of ``source(keys, s, e)`` per ``keys`` (a comma-separated list)."""
    return f"\nWITH {_merge_tail(source, keys)}"


def _merge_tail(source: str, keys: str) -> str:
    """The CTEs and final SELECT of :func:`merge`, to follow ``WITH`` or earlier CTEs."""
    return f"""m_ordered AS (
  SELECT {keys}, s, e,
         MAX(e) OVER (PARTITION BY {keys} ORDER BY s, e
                      ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
  FROM {source} WHERE s < e
), m_runs AS (
  SELECT {keys}, s, e,
         SUM(CASE WHEN prev_end IS NULL OR s > prev_end THEN 1 ELSE 0 END)
           OVER (PARTITION BY {keys} ORDER BY s, e ROWS UNBOUNDED PRECEDING) AS run
  FROM m_ordered
)
SELECT {keys}, MIN(s) AS s, MAX(e) AS e FROM m_runs GROUP BY {keys}, run"""


def minus(kept: str, removed: str, keys: str) -> str:
    """``kept - removed`` per ``keys``, both tables of ``(keys, s, e)`` rows, as merged runs."""
    return f"""
WITH x_events AS (
  SELECT {keys}, s AS d, 1 AS da, 0 AS db FROM {kept} WHERE s < e
  UNION ALL SELECT {keys}, e, -1, 0 FROM {kept} WHERE s < e
  UNION ALL SELECT {keys}, s, 0, 1 FROM {removed} WHERE s < e
  UNION ALL SELECT {keys}, e, 0, -1 FROM {removed} WHERE s < e
), x_points AS (
  SELECT {keys}, d, SUM(da) AS da, SUM(db) AS db FROM x_events GROUP BY {keys}, d
), x_segments AS (
  SELECT {keys}, d AS s,
         LEAD(d, 1, {OPEN_END}) OVER (PARTITION BY {keys} ORDER BY d) AS e,
         SUM(da) OVER (PARTITION BY {keys} ORDER BY d ROWS UNBOUNDED PRECEDING) AS ca,
         SUM(db) OVER (PARTITION BY {keys} ORDER BY d ROWS UNBOUNDED PRECEDING) AS cb
  FROM x_points
), x_kept AS (
  SELECT {keys}, s, e FROM x_segments WHERE ca > 0 AND cb = 0
), {_merge_tail("x_kept", keys)}"""
