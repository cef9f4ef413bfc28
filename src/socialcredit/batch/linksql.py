"""Steps ``link_lines``, ``link_reaches`` and ``next_changes``: ``engine.reach`` in SQL
(docs/semantics.md, "Links").

- ``link_lines``: the links of the partition's persons as known on the day (a link starting
  later is left out, later facts masked), each with its end (valid_to or revocation), the
  review deadline of its objection (the earliest of ``c_link_terms``), its suspension, its
  status and the holding part containing the day, if any;
- ``link_reaches``: a holding link of an adult (principle 13) to an organisation with a
  membership on the day (``org_lists``) of a list whose reaching measures name the link's role
  (``c_reaching``), from the later of the two starts to the earlier of the two ends;
- ``next_changes``: a subject's own next change, and for a person with links also every date
  of its links (known on the day or not), the review deadline of a pending objection past which
  the link is suspended, the next change of each organisation of a link known on the day
  (``org_next``) and, for a minor, the first day as an adult.

``org_lists``, ``org_list_records`` and ``org_next`` are the organisations' memberships, their
records and next changes: in Spark, steps over the whole population (:func:`org_lists_sql`,
:func:`org_list_records_sql`, :func:`org_next_sql`); with DuckDB,
tables filled by a first pass over every partition before any person is assessed, since an
organisation and the persons linked to it may be in different partitions.
"""

from __future__ import annotations

from socialcredit.batch.dialect import OPEN_END, Dialect
from socialcredit.batch.timelinesql import minor_sql
from socialcredit.identity.birth import BIRTH_DATE

LINK_EVENTS = ("valid_from", "valid_to", "revoked_on", "disputed_on", "dispute_decided_on")


def _seen(column: str, as_of: str, name: str | None = None) -> str:
    return f"CASE WHEN l.{column} <= {as_of} THEN l.{column} END AS {name or column}"


def _known(as_of: str) -> str:
    """The partition's persons' links as known on the day."""
    return f"""
  SELECT l.id AS link, l.organisation, l.person AS subject, l.role, l.valid_from,
         {_seen("valid_to", as_of)}, {_seen("revoked_on", as_of)}, {_seen("disputed_on", as_of)},
         {_seen("dispute_decided_on", as_of, "decided_on")},
         CASE WHEN l.dispute_decided_on <= {as_of} THEN l.dispute_outcome END AS outcome
  FROM links l JOIN subjects s ON s.subject = l.person AND s.kind = 'person'
  WHERE l.valid_from <= {as_of}"""


def link_lines_sql(dialect: Dialect, as_of: str) -> str:
    deadline = (
        f"CASE WHEN t.working THEN wd.day ELSE {dialect.add_days('k.disputed_on', 't.days')} END"
    )
    revoked = (
        "CASE WHEN k.decided_on IS NOT NULL AND k.outcome IN ('revoked', 'corrected') "
        "AND (k.revoked_on IS NULL OR k.decided_on < k.revoked_on) "
        "THEN k.decided_on ELSE k.revoked_on END"
    )
    part1 = f"valid_from <= {as_of} AND {as_of} < LEAST(ends_on, deadline)"
    part2 = f"GREATEST(valid_from, susp_end) <= {as_of} AND {as_of} < ends_on"
    whole = f"valid_from <= {as_of} AND {as_of} < ends_on"
    return f"""
WITH l_known AS ({_known(as_of)}
), l_deadlines AS (
  SELECT k.link, k.subject, MIN({deadline}) AS deadline
  FROM l_known k CROSS JOIN c_link_terms t
  LEFT JOIN c_days cd ON t.working AND cd.day = k.disputed_on
  LEFT JOIN c_days wd ON wd.working AND wd.n = cd.n + t.days
  WHERE k.disputed_on IS NOT NULL
  GROUP BY k.link, k.subject
), l_ends AS (
  SELECT k.*, d.deadline, {revoked} AS revoked
  FROM l_known k LEFT JOIN l_deadlines d ON d.link = k.link AND d.subject = k.subject
), l_parts AS (
  SELECT l_ends.*,
         GREATEST(valid_from, LEAST(COALESCE(valid_to, {OPEN_END}),
                                    COALESCE(revoked, {OPEN_END}))) AS ends_on,
         COALESCE(decided_on, {OPEN_END}) AS susp_end
  FROM l_ends
), l_susp AS (
  SELECT l_parts.*, COALESCE(deadline < susp_end, FALSE) AS has_susp FROM l_parts
)
SELECT link, organisation, subject, role, valid_from, ends_on, deadline, has_susp,
       CASE WHEN has_susp AND {part1} THEN valid_from
            WHEN has_susp AND {part2} THEN GREATEST(valid_from, susp_end)
            WHEN NOT has_susp AND {whole} THEN valid_from END AS hold_s,
       CASE WHEN has_susp AND {part1} THEN LEAST(ends_on, deadline)
            WHEN has_susp AND {part2} THEN ends_on
            WHEN NOT has_susp AND {whole} THEN ends_on END AS hold_e,
       CASE
         WHEN revoked IS NOT NULL AND revoked <= {as_of} THEN 'revoked'
         WHEN {as_of} >= ends_on THEN 'ended'
         WHEN has_susp AND deadline <= {as_of} AND {as_of} < susp_end THEN 'suspended'
         WHEN disputed_on IS NOT NULL AND decided_on IS NULL THEN 'disputed'
         ELSE 'holding'
       END AS status
FROM l_susp"""


def link_reaches_sql(dialect: Dialect, as_of: str) -> str:
    return f"""
SELECT ll.subject, ll.link, ll.organisation, ll.role, o.list_id, o.list_kind,
       GREATEST(ll.hold_s, o.since) AS since, LEAST(ll.hold_e, o.until) AS until,
       o.since AS listed_since, o.until AS listed_until
FROM link_lines ll
JOIN org_lists o ON o.organisation = ll.organisation
JOIN (SELECT DISTINCT list_id, role FROM c_reaching) r
  ON r.list_id = o.list_id AND r.role = ll.role
WHERE ll.hold_s IS NOT NULL AND NOT {minor_sql(dialect, "ll.subject", "'person'", as_of)}"""


def org_lists_sql() -> str:
    """The memberships on the day of the organisations of links, on lists that reach."""
    return """
SELECT m.subject AS organisation, m.list_id, m.list_kind, m.since, m.until
FROM memberships m
WHERE m.subject IN (SELECT organisation FROM links)
  AND m.list_id IN (SELECT list_id FROM c_reaching)"""


def org_list_records_sql() -> str:
    """The records behind those memberships."""
    return """
SELECT r.subject AS organisation, r.list_id, r.record
FROM membership_records r
WHERE r.subject IN (SELECT organisation FROM links)
  AND r.list_id IN (SELECT list_id FROM c_reaching)"""


def org_next_sql() -> str:
    return """
SELECT n.subject AS organisation, n.next_change FROM next_change n
WHERE n.subject IN (SELECT organisation FROM links)"""


def _adult_from(dialect: Dialect, subject: str) -> str:
    """The day after the 18th birthday (1 March for 29 February), as ``engine.reach``."""
    start = BIRTH_DATE.start + 1
    year = f"({dialect.to_int(f'substr({subject}, {start}, 4)')} + 18)"
    month = dialect.to_int(f"substr({subject}, {start + 4}, 2)")
    day = dialect.to_int(f"substr({subject}, {start + 6}, 2)")
    return (
        f"(CASE WHEN {month} = 2 AND {day} = 29 THEN make_date({year}, 3, 1) "
        f"ELSE {dialect.add_days(f'make_date({year}, {month}, {day})', '1')} END)"
    )


def _after(column: str, as_of: str) -> str:
    return f"CASE WHEN {column} > {as_of} AND {column} < {OPEN_END} THEN {column} END"


def next_changes_sql(dialect: Dialect, as_of: str) -> str:
    events = ", ".join(_after(f"l.{c}", as_of) for c in LINK_EVENTS)
    minor = minor_sql(dialect, "l.person", "'person'", as_of)
    return f"""
SELECT subject, MIN(d) AS next_change FROM (
  SELECT subject, next_change AS d FROM next_change
  UNION ALL
  SELECT l.person, LEAST({events})
  FROM links l JOIN subjects s ON s.subject = l.person AND s.kind = 'person'
  UNION ALL
  SELECT subject, CASE WHEN has_susp THEN {_after("deadline", as_of)} END FROM link_lines
  UNION ALL
  SELECT ll.subject, o.next_change
  FROM link_lines ll JOIN org_next o ON o.organisation = ll.organisation
  UNION ALL
  SELECT DISTINCT l.person, {_adult_from(dialect, "l.person")}
  FROM links l JOIN subjects s ON s.subject = l.person AND s.kind = 'person'
  WHERE {minor}
) AS candidates
WHERE d IS NOT NULL
GROUP BY subject"""


def link_orphans_sql() -> str:
    """The linked persons without a valid record (Spark: the whole population at once)."""
    return """
SELECT DISTINCT person FROM links
WHERE person NOT IN (SELECT c_subject FROM validated WHERE reasons = '')"""
