"""Steps ``records``, ``timeline``, ``parts`` and ``subjects``: when each record counts.

``engine.timeline`` in SQL (docs/semantics.md section 1): effective from, term end, stops on,
the dispute suspension, and the counting set as at most two parts (a suspension can split a
record's counting interval in two); a negative record whose notice is unserved never starts;
a review deadline in working days is looked up in the calendar (``c_days``).
``status`` follows ``Timeline.status_on`` rule for rule.
``minor`` marks the records protected by principle 13 (``engine.minors``): a person's record
decided on or before the 18th birthday read from positions 7 to 14 of the identifier.
"""

from __future__ import annotations

from socialcredit.batch.dialect import OPEN_END, Dialect
from socialcredit.engine.minors import ADULT_AGE
from socialcredit.engine.records import UNSERVED
from socialcredit.identity.birth import BIRTH_DATE
from socialcredit.identity.kinds import IDENTIFIER_LENGTH

UNSERVED_SQL = ", ".join(f"'{state.value}'" for state in UNSERVED)


def minor_sql(dialect: Dialect, subject: str, kind: str, decided: str) -> str:
    """Whether the record of ``subject`` (canonical), decided on ``decided``, is about a person
    under 18 on that day: the dates compared as numbers ``YYYYMMDD`` (``engine.minors``)."""
    born = dialect.to_int(f"substr({subject}, {BIRTH_DATE.start + 1}, 8)")
    day = f"(year({decided}) * 10000 + month({decided}) * 100 + dayofmonth({decided}))"
    return (
        f"COALESCE({kind} = 'person' AND length({subject}) = {IDENTIFIER_LENGTH} "
        f"AND {day} <= {born} + {ADULT_AGE * 10_000}, FALSE)"
    )


def records_sql(dialect: Dialect, as_of: str) -> str:
    """The valid records as known on the day (``engine.timeline.known_on``): records decided
    later are left out, events dated later are treated as not having happened yet."""

    def seen(column: str) -> str:
        return f"CASE WHEN {column} <= {as_of} THEN {column} END AS {column}"

    return f"""
SELECT rid AS record, c_subject AS subject, c_kind AS kind, item_code AS item, decided_on,
       notified_on, notice, {seen("resolved_on")}, {seen("revoked_on")}, {seen("disputed_on")},
       {seen("dispute_decided_on")},
       CASE WHEN dispute_decided_on <= {as_of} THEN outcome END AS outcome,
       {minor_sql(dialect, "c_subject", "c_kind", "decided_on")} AS minor
FROM validated WHERE reasons = '' AND decided_on <= {as_of}"""


def timeline_sql(dialect: Dialect, as_of: str) -> str:
    start = (
        f"CASE WHEN i.negative AND r.notice IN ({UNSERVED_SQL}) THEN {OPEN_END} "
        "WHEN i.negative THEN "
        f"{dialect.add_days('COALESCE(r.notified_on, r.decided_on)', 'i.notice_days')} "
        "ELSE r.decided_on END"
    )
    revoked = (
        "CASE WHEN r.dispute_decided_on IS NOT NULL AND r.outcome IN ('revoked', 'corrected') "
        "AND (r.revoked_on IS NULL OR r.dispute_decided_on < r.revoked_on) "
        "THEN r.dispute_decided_on ELSE r.revoked_on END"
    )
    return f"""
WITH t_start AS (
  SELECT r.*, i.stop_on_resolution, {start} AS start, {revoked} AS revoked,
         i.counts_months, i.counts_days,
         CASE WHEN i.review_working THEN wd.day
              ELSE {dialect.add_days("r.disputed_on", "i.review_days")} END AS deadline
  FROM records r JOIN c_items i ON i.item = r.item
  LEFT JOIN c_days cd ON i.review_working AND cd.day = r.disputed_on
  LEFT JOIN c_days wd ON wd.working AND wd.n = cd.n + i.review_days
), t_ends AS (
  SELECT t_start.*,
         CASE WHEN start = {OPEN_END} THEN {OPEN_END}
              ELSE {dialect.shift("start", "counts_months", "counts_days")} END AS term_end,
         COALESCE(dispute_decided_on, {OPEN_END}) AS susp_end
  FROM t_start
), t_stops AS (
  SELECT t_ends.*,
         GREATEST(start, LEAST(term_end, COALESCE(revoked, {OPEN_END}),
             CASE WHEN resolved_on IS NOT NULL AND stop_on_resolution
                  THEN resolved_on ELSE {OPEN_END} END)) AS stops_on,
         (disputed_on IS NOT NULL AND deadline < susp_end) AS has_susp
  FROM t_ends
), t_parts AS (
  SELECT t_stops.*,
         CASE WHEN has_susp THEN LEAST(stops_on, deadline) ELSE stops_on END AS p1_end,
         CASE WHEN has_susp THEN GREATEST(start, susp_end) ELSE stops_on END AS p2_start
  FROM t_stops
)
SELECT record, subject, kind, item, decided_on, minor, resolved_on, start, term_end, stops_on,
       has_susp, deadline, susp_end, p1_end, p2_start,
       CASE WHEN start < p1_end THEN start WHEN p2_start < stops_on THEN p2_start END AS first_day,
       CASE
         WHEN revoked IS NOT NULL AND revoked <= {as_of} THEN 'revoked'
         WHEN resolved_on IS NOT NULL AND resolved_on <= {as_of} AND stop_on_resolution
           THEN 'resolved'
         WHEN {as_of} < start THEN 'pending'
         WHEN {as_of} >= term_end THEN 'expired'
         WHEN has_susp AND deadline <= {as_of} AND {as_of} < susp_end THEN 'suspended'
         WHEN disputed_on IS NOT NULL AND disputed_on <= {as_of}
              AND (dispute_decided_on IS NULL OR dispute_decided_on > {as_of}) THEN 'disputed'
         ELSE 'counting'
       END AS status
FROM t_parts"""


def parts_sql() -> str:
    """The counting set of every record, one row per part (at most two per record)."""
    return """
SELECT record, subject, kind, item, minor, start AS s, p1_end AS e FROM timeline
WHERE start < p1_end
UNION ALL
SELECT record, subject, kind, item, minor, p2_start, stops_on FROM timeline
WHERE has_susp AND p2_start < stops_on"""


def subjects_sql(links: bool = False) -> str:
    """Every subject with a valid record (known on the day or not), as ``socialcredit assess``
    assesses every subject of its records file; with ``links``, also the linked persons without
    a record that this partition assesses (``link_orphans``)."""
    orphans = "\nUNION ALL SELECT person, 'person', CAST(0 AS BIGINT) FROM link_orphans"
    return f"""
SELECT c_subject AS subject, MIN(c_kind) AS kind, COUNT(*) AS records
FROM validated WHERE reasons = '' GROUP BY c_subject{orphans if links else ""}"""
