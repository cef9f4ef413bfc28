"""Steps ``contributions``, ``scores`` and ``score_segments``: scores on the day, and over time.

``engine.scoring`` in SQL. On the assessment date: base plus the points of the records that
count, clamped, graded (section 2). Over time, for the score conditions of lists: a score only
changes where a record starts or stops counting, so a sweep of the parts' boundaries gives the
score on every segment ``[d, next d)`` from the open start to the open end.
"""

from __future__ import annotations

from socialcredit.batch.dialect import OPEN_END, OPEN_START


def applies(alias: str, kind_alias: str) -> str:
    """Whether the row ``alias`` (with ``for_person``/``for_org``) applies to the subject kind
    in ``kind_alias.kind``."""
    return (
        f"(({kind_alias}.kind = 'person' AND {alias}.for_person) OR "
        f"({kind_alias}.kind = 'organisation' AND {alias}.for_org))"
    )


def _clamped(model: str, points: str) -> str:
    """The score of ``points`` added to the base of the ``c_models`` row ``model``, clamped."""
    return f"LEAST({model}.vmax, GREATEST({model}.vmin, {model}.base + {points}))"


def contributions_sql(as_of: str) -> str:
    return f"""
SELECT p.subject, pt.model, p.record, p.item, pt.points, p.minor
FROM parts p
JOIN c_points pt ON pt.item = p.item
JOIN c_models m ON m.model = pt.model
WHERE p.s <= {as_of} AND {as_of} < p.e AND {applies("m", "p")}"""


def scores_sql() -> str:
    return f"""
WITH s_sums AS (
  SELECT subject, model, SUM(points) AS total FROM contributions GROUP BY subject, model
), s_values AS (
  SELECT k.subject, k.kind, m.model,
         {_clamped("m", "COALESCE(t.total, 0)")} AS value
  FROM subjects k
  JOIN c_models m ON {applies("m", "k")}
  LEFT JOIN s_sums t ON t.subject = k.subject AND t.model = m.model
)
SELECT v.subject, v.kind, v.model, v.value, b.grade
FROM s_values v JOIN c_bands b ON b.model = v.model AND v.value BETWEEN b.lo AND b.hi"""


def guarded_scores_sql() -> str:
    """``engine.minors.guarded_score``: for each score with a contribution of a record protected
    by principle 13, the value and grade without those records."""
    return f"""
WITH s_guarded AS (
  SELECT subject, model, SUM(CASE WHEN minor THEN 0 ELSE points END) AS total
  FROM contributions GROUP BY subject, model HAVING MAX(CASE WHEN minor THEN 1 ELSE 0 END) = 1
), s_values AS (
  SELECT g.subject, g.model, {_clamped("m", "g.total")} AS value
  FROM s_guarded g JOIN c_models m ON m.model = g.model
)
SELECT v.subject, v.model, v.value, b.grade
FROM s_values v JOIN c_bands b ON b.model = v.model AND v.value BETWEEN b.lo AND b.hi"""


def _reachable_sql(used: str) -> str:
    """(subject, model) pairs whose score can ever meet one of the lists' score conditions.

    Any score of a subject lies between its base plus all its negative points and its base
    plus all its positive points (clamped); a pair whose range misses every value range where
    a condition on the model holds never meets a condition, so its segments are not needed.
    """
    return f"""
  SELECT k.subject, m.model
  FROM subjects k
  JOIN c_models m ON {applies("m", "k")} AND m.model IN ({used})
  LEFT JOIN (
    SELECT t.subject, pt.model,
           SUM(CASE WHEN pt.points < 0 THEN pt.points ELSE 0 END) AS down,
           SUM(CASE WHEN pt.points > 0 THEN pt.points ELSE 0 END) AS up
    FROM timeline t JOIN c_points pt ON pt.item = t.item GROUP BY t.subject, pt.model
  ) r ON r.subject = k.subject AND r.model = m.model
  JOIN (
    SELECT c.model, c.min_value AS lo, m.vmax AS hi
    FROM c_lists l JOIN c_conds c ON c.cond_id = l.cond_id JOIN c_models m ON m.model = c.model
    WHERE c.min_value IS NOT NULL
    UNION ALL
    SELECT c.model, b.lo, b.hi
    FROM c_lists l JOIN c_conds c ON c.cond_id = l.cond_id
    JOIN c_cond_grades cg ON cg.cond_id = c.cond_id
    JOIN c_bands b ON b.model = c.model AND b.grade = cg.grade
    WHERE c.min_value IS NULL
  ) h ON h.model = m.model
    AND h.lo <= {_clamped("m", "COALESCE(r.up, 0)")}
    AND h.hi >= {_clamped("m", "COALESCE(r.down, 0)")}
  GROUP BY k.subject, m.model"""


def score_segments_sql() -> str:
    """The score of every model used by a list condition, on every segment of time, for the
    subjects whose score can reach such a condition at all."""
    used = "SELECT DISTINCT c.model FROM c_lists l JOIN c_conds c ON c.cond_id = l.cond_id"
    return f"""
WITH g_reach AS ({_reachable_sql(used)}
), g_parts AS (
  SELECT p.subject, pt.model, p.s, p.e, pt.points
  FROM parts p JOIN c_points pt ON pt.item = p.item
  JOIN g_reach g ON g.subject = p.subject AND g.model = pt.model
), g_events AS (
  SELECT subject, model, s AS d, points AS delta FROM g_parts
  UNION ALL
  SELECT subject, model, e, -points FROM g_parts
  UNION ALL
  SELECT subject, model, {OPEN_START}, 0 FROM g_reach
), g_points AS (
  SELECT subject, model, d, SUM(delta) AS delta FROM g_events GROUP BY subject, model, d
), g_segments AS (
  SELECT subject, model, d AS s,
         LEAD(d, 1, {OPEN_END}) OVER (PARTITION BY subject, model ORDER BY d) AS e,
         SUM(delta) OVER (PARTITION BY subject, model ORDER BY d ROWS UNBOUNDED PRECEDING) AS raw
  FROM g_points
), g_values AS (
  SELECT g.subject, g.model, g.s, g.e, {_clamped("m", "g.raw")} AS value
  FROM g_segments g JOIN c_models m ON m.model = g.model
)
SELECT v.subject, v.model, v.s, v.e, v.value, b.grade
FROM g_values v JOIN c_bands b ON b.model = v.model AND v.value BETWEEN b.lo AND b.hi
WHERE v.s < v.e"""


def condition_holds(cond: str, grade_alias: str, value: str) -> str:
    """Whether the score condition ``cond`` (a c_conds row) holds; needs the LEFT JOIN of
    c_cond_grades as ``grade_alias`` on the condition and the grade."""
    return (
        f"(CASE WHEN {cond}.min_value IS NULL THEN {grade_alias}.grade IS NOT NULL "
        f"ELSE {value} >= {cond}.min_value END)"
    )
