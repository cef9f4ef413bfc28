"""Steps ``conditions_now``, ``reasons``, ``decisions`` and ``remedies``: ``engine.decisions``
in SQL (docs/semantics.md section 4).

A measure is active when its memorandum's list has a membership on the day, or its score
condition holds on the day; it must apply to the subject's kind and target the subject itself
(measures for responsible persons only are left out of ``c_measures``). With links, a measure
of ``c_reaching`` is also active for a person through each of its ``link_reaches`` on that
measure's list and role; such a reason names the organisation and the link. A score condition that
would deny or restrict must also hold on the score without the records protected by principle
13 (``guarded_scores``; a subject without such records has no row there). The effect is the
strongest of the active measures; a service without one is ``allow`` and has no row.
"""

from __future__ import annotations

from socialcredit.batch.scoresql import applies, condition_holds
from socialcredit.engine.decisions import EFFECT_ORDER


def conditions_now_sql() -> str:
    return f"""
SELECT sc.subject, sc.kind, c.cond_id, sc.model, sc.value, sc.grade
FROM scores sc
JOIN c_conds c ON c.model = sc.model
LEFT JOIN c_cond_grades cg ON cg.cond_id = c.cond_id AND cg.grade = sc.grade
WHERE {condition_holds("c", "cg", "sc.value")}"""


_NO_LINK = "CAST(NULL AS STRING) AS organisation, CAST(NULL AS STRING) AS link"
_LINKED = """
UNION ALL
SELECT lr.subject, r.service, r.memorandum, r.measure, r.effect, r.effect_rank, lr.list_id,
       CAST(NULL AS STRING), CAST(NULL AS BIGINT), CAST(NULL AS STRING), lr.organisation,
       lr.link
FROM link_reaches lr
JOIN c_reaching r ON r.list_id = lr.list_id AND r.role = lr.role"""


def reasons_sql(links: bool = False) -> str:
    """Active measures; with ``links``, also those reaching persons through their links."""
    return _own_reasons_sql() + (_LINKED if links else "")


def _own_reasons_sql() -> str:
    return f"""
SELECT k.subject, m.service, m.memorandum, m.measure, m.effect, m.effect_rank, m.list_id,
       CAST(NULL AS STRING) AS score_model, CAST(NULL AS BIGINT) AS value,
       CAST(NULL AS STRING) AS grade, {_NO_LINK}
FROM memberships ms
JOIN subjects k ON k.subject = ms.subject
JOIN c_measures m ON m.list_id = ms.list_id
WHERE {applies("m", "k")}
UNION ALL
SELECT k.subject, m.service, m.memorandum, m.measure, m.effect, m.effect_rank,
       CAST(NULL AS STRING), k.model, k.value, k.grade, CAST(NULL AS STRING),
       CAST(NULL AS STRING)
FROM conditions_now k
JOIN c_measures m ON m.cond_id = k.cond_id
JOIN c_conds c ON c.cond_id = k.cond_id
LEFT JOIN guarded_scores g ON g.subject = k.subject AND g.model = k.model
LEFT JOIN c_cond_grades gg ON gg.cond_id = k.cond_id AND gg.grade = g.grade
WHERE {applies("m", "k")}
  AND (m.effect = 'benefit' OR g.subject IS NULL OR {condition_holds("c", "gg", "g.value")})"""


def decisions_sql() -> str:
    """The strongest effect: the lowest ``effect_rank`` (``constants.EFFECT_RANK``)."""
    ranks = " ".join(f"WHEN {rank} THEN '{effect}'" for rank, effect in enumerate(EFFECT_ORDER))
    return f"""
SELECT subject, service, CASE MIN(effect_rank) {ranks} END AS effect, COUNT(*) AS reasons
FROM reasons GROUP BY subject, service"""


def remedies_sql() -> str:
    """The lists behind a deny or restrict: one per list of the subject's own, one per link
    and list reaching it."""
    return """
SELECT DISTINCT subject, service, list_id, organisation, link
FROM reasons WHERE effect IN ('deny', 'restrict') AND list_id IS NOT NULL"""
