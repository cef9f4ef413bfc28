"""Step ``next_change``: ``engine.next_change_after`` in SQL, the first date after the day on
which a subject's assessment may change with no new fact (docs/semantics.md).

The engine takes the first date after the day among: every event date of the subject's records
(known on the day or not), each record's effective date, term end and the boundaries of its
counting and suspension intervals, and the boundaries of every list window and list run. Dates
not after the day cannot be the answer, and every fact dated after the day is masked in the
timelines, so from a record's timeline only three dates can lie after the day: its effective
date, its term end and, when an objection is pending past its deadline, the deadline (the
counting boundaries are among these). Open ends are never a change.
"""

from __future__ import annotations

from socialcredit.batch.dialect import OPEN_END

EVENT_COLUMNS = ("decided_on", "resolved_on", "revoked_on", "disputed_on", "dispute_decided_on")


def _after(column: str, as_of: str, condition: str = "TRUE") -> str:
    return (
        f"CASE WHEN {condition} AND {column} > {as_of} AND {column} < {OPEN_END} THEN {column} END"
    )


def _first(columns: list[str]) -> str:
    """The least non-NULL value (LEAST skips NULLs in DuckDB and Spark)."""
    return f"LEAST({', '.join(columns)})"


def next_change_sql(list_days: str, as_of: str) -> str:
    """``list_days``: a query of every list's days (``listsql.list_days_sql``)."""
    events = _first([_after(c, as_of) for c in EVENT_COLUMNS])
    timeline = _first(
        [_after("start", as_of), _after("term_end", as_of), _after("deadline", as_of, "has_susp")]
    )
    bounds = _first([_after("s", as_of), _after("e", as_of)])
    return f"""
SELECT subject, MIN(d) AS next_change FROM (
  SELECT c_subject AS subject, {events} AS d FROM validated WHERE reasons = ''
  UNION ALL SELECT subject, {timeline} FROM timeline
  UNION ALL SELECT subject, {bounds} FROM windows
  UNION ALL SELECT subject, {bounds} FROM ({list_days}) AS list_days
) AS candidates
WHERE d IS NOT NULL
GROUP BY subject"""
