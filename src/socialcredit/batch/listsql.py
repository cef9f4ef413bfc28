"""Steps ``windows``, ``list_base``, ``list_days_<n>``, ``memberships`` and
``membership_records``: ``engine.lists`` in SQL (docs/semantics.md section 3).

- A record's window on a list: its counting parts from its first counting day until the
  earliest of that day + the entry term (``until_resolved``: the resolution, even for an item
  that keeps counting) and that day + the list's ``max_duration``.
- A record protected by principle 13 (``timeline.minor``) has no window on a black or watch
  list.
- A list's days: the union of its windows and of the segments where its score condition holds,
  merged; then, level by level of ``excluded_by`` (a list excluded by nothing is level 0), minus
  the days of the lists that exclude it. Each level step holds its own lists' days only.
- A membership on the day: the run containing it; its records are those whose window overlaps
  the run.
"""

from __future__ import annotations

from socialcredit.batch.dialect import OPEN_END, Dialect
from socialcredit.batch.intervalsql import merge, minus
from socialcredit.batch.scoresql import condition_holds
from socialcredit.engine.minors import GUARDED_LIST_KINDS


def _guarded_kinds() -> str:
    return ", ".join(f"'{kind}'" for kind in sorted(GUARDED_LIST_KINDS))


def windows_sql(dialect: Dialect) -> str:
    term_end = (
        "CASE WHEN li.term_months IS NULL AND t.resolved_on IS NOT NULL "
        "THEN GREATEST(t.first_day, t.resolved_on) "
        f"WHEN li.term_months IS NULL THEN {OPEN_END} "
        f"ELSE {dialect.shift('t.first_day', 'li.term_months', 'li.term_days')} END"
    )
    max_end = (
        f"CASE WHEN l.max_months IS NULL THEN {OPEN_END} "
        f"ELSE {dialect.shift('t.first_day', 'l.max_months', 'l.max_days')} END"
    )
    return f"""
WITH w_caps AS (
  SELECT t.record, t.subject, t.kind, li.list_id, t.first_day,
         LEAST({term_end}, {max_end}) AS cap
  FROM timeline t
  JOIN c_list_items li ON li.item = t.item
  JOIN c_lists l ON l.list_id = li.list_id
  WHERE t.first_day IS NOT NULL AND NOT (t.minor AND l.list_kind IN ({_guarded_kinds()}))
)
SELECT w.subject, w.kind, w.list_id, w.record, p.s AS s, LEAST(p.e, w.cap) AS e
FROM w_caps w JOIN parts p ON p.record = w.record AND p.subject = w.subject
WHERE p.s < LEAST(p.e, w.cap)"""


def condition_segments_sql() -> str:
    """Segments of time on which a list's score condition holds."""
    return f"""
SELECT g.subject, l.list_id, g.s, g.e
FROM score_segments g
JOIN c_conds c ON c.model = g.model
JOIN c_lists l ON l.cond_id = c.cond_id
LEFT JOIN c_cond_grades cg ON cg.cond_id = c.cond_id AND cg.grade = g.grade
WHERE {condition_holds("c", "cg", "g.value")}"""


def list_base_sql() -> str:
    sources = """
  SELECT subject, list_id, s, e FROM windows
  UNION ALL SELECT subject, list_id, s, e FROM condition_segments"""
    return merge(f"({sources}\n) AS sources", "subject, list_id")


def list_days_sql(level: int) -> str:
    """The days of the lists of every level up to ``level``: a UNION of the level steps."""
    return "\nUNION ALL ".join(
        f"SELECT subject, list_id, s, e FROM list_days_{n}" for n in range(level + 1)
    )


def list_level_sql(level: int) -> str:
    """Days of the lists of ``level`` (>= 1): their base minus the days of the lists that
    exclude them (all of a lower level, in the earlier level steps)."""
    kept = f"""(SELECT b.subject, b.list_id, b.s, b.e FROM list_base b
   JOIN c_lists l ON l.list_id = b.list_id WHERE l.depth = {level})"""
    removed = f"""(SELECT d.subject, x.list_id, d.s, d.e FROM ({list_days_sql(level - 1)}) d
   JOIN c_exclusions x ON x.excluded_id = d.list_id
   JOIN c_lists l ON l.list_id = x.list_id WHERE l.depth = {level})"""
    return minus(f"{kept} AS kept", f"{removed} AS removed", "subject, list_id")


def list_level0_sql() -> str:
    return """
SELECT b.subject, b.list_id, b.s, b.e FROM list_base b
JOIN c_lists l ON l.list_id = b.list_id WHERE l.depth = 0"""


def memberships_sql(days: str, as_of: str) -> str:
    """The runs containing the day, from ``days`` (a query: :func:`list_days_sql`)."""
    return f"""
SELECT d.subject, d.list_id, l.list_kind, d.s AS since, d.e AS until
FROM ({days}) d JOIN c_lists l ON l.list_id = d.list_id
WHERE d.s <= {as_of} AND {as_of} < d.e"""


def membership_records_sql() -> str:
    return """
SELECT DISTINCT m.subject, m.list_id, w.record
FROM memberships m
JOIN windows w ON w.subject = m.subject AND w.list_id = m.list_id
WHERE w.s < m.until AND w.e > m.since"""
