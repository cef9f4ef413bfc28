"""Steps ``card_records``, ``card_segments`` and ``card_values``: ``engine.scorecard`` in SQL.

A scorecard's value only changes where one of its characteristics may cross a bin edge: where a
record starts or stops counting or is resolved, where a count's window closes after a record's
decision, or where the months since a record's decision reach a bin edge (the engine's
``change_points``). Every such date starts a segment; each characteristic is evaluated on the
segment's first day from the parts counting then, binned, and the bins' points added to the base,
clamped and graded. The segment holding the day gives the score on the day (added to ``scores``),
and every segment is a score segment for the lists' score conditions (added to
``score_segments``). ``card_values`` keeps each characteristic's value on the day.
"""

from __future__ import annotations

from socialcredit.batch.dialect import OPEN_END, OPEN_START, Dialect
from socialcredit.batch.scoresql import applies


def card_records_sql(as_of: str) -> str:
    """Decision date, amount and resolution (as known on the day) of every valid record."""
    return f"""
SELECT rid AS record, c_subject AS subject, decided_on, amount,
       CASE WHEN resolved_on <= {as_of} THEN resolved_on END AS resolved_on
FROM validated WHERE reasons = '' AND decided_on <= {as_of}"""


_RECS = """k_recs AS (
  SELECT c.record, c.subject, t.kind, t.item, c.decided_on, c.amount, c.resolved_on
  FROM card_records c JOIN timeline t ON t.record = c.record AND t.subject = c.subject
)"""


def _months_between(dialect: Dialect, start: str, day: str) -> str:
    """Whole calendar months from ``start`` to ``day`` (``engine.scorecard.months_between``)."""
    n = f"(12 * (year({day}) - year({start})) + month({day}) - month({start}))"
    whole = f"CASE WHEN {dialect.add_months(start, n)} > {day} THEN {n} - 1 ELSE {n} END"
    # GREATEST skips NULLs: a missing start stays missing
    return f"CASE WHEN {start} IS NOT NULL THEN GREATEST({whole}, 0) END"


def _dates_sql(dialect: Dialect) -> str:
    """``engine.scorecard.change_points``: only records some characteristic of the model
    selects (``c_card_select``) move its value."""
    window_end = dialect.shift("r.decided_on", "w.win_months", "w.win_days")
    chosen = "(SELECT DISTINCT model, item FROM c_card_select) s"
    return f"""
  SELECT k.subject, m.model, {OPEN_START} AS d
  FROM subjects k JOIN c_card_models m ON {applies("m", "k")}
  UNION SELECT p.subject, m.model, p.s FROM parts p JOIN c_card_models m ON {applies("m", "p")}
    JOIN {chosen} ON s.model = m.model AND s.item = p.item
  UNION SELECT p.subject, m.model, p.e FROM parts p JOIN c_card_models m ON {applies("m", "p")}
    JOIN {chosen} ON s.model = m.model AND s.item = p.item
  UNION SELECT r.subject, m.model, r.resolved_on FROM k_recs r
    JOIN c_card_models m ON {applies("m", "r")}
    JOIN {chosen} ON s.model = m.model AND s.item = r.item WHERE r.resolved_on IS NOT NULL
  UNION SELECT r.subject, m.model, {window_end} FROM k_recs r
    JOIN c_card_models m ON {applies("m", "r")}
    JOIN c_card_select sel ON sel.model = m.model AND sel.item = r.item
    JOIN c_card_chars w ON w.model = sel.model AND w.char_id = sel.char_id
    WHERE w.win_months IS NOT NULL
  UNION SELECT r.subject, m.model, {dialect.add_months("r.decided_on", "x.edge")} FROM k_recs r
    JOIN c_card_models m ON {applies("m", "r")}
    JOIN c_card_select sel ON sel.model = m.model AND sel.item = r.item
    JOIN c_card_edges x ON x.model = sel.model AND x.char_id = sel.char_id"""


def _counted_sql(dialect: Dialect) -> str:
    """Per date, scorecard and characteristic with at least one record counting on the date:
    the counts, arrears and decision dates of those records."""
    in_window = (
        f"(c.win_months IS NULL OR "
        f"{dialect.shift('x.decided_on', 'c.win_months', 'c.win_days')} > g.d)"
    )
    performed = "(x.resolved_on IS NOT NULL AND x.resolved_on <= g.d)"
    return f"""
    SELECT g.subject, g.model, g.d, x.char_id,
           COUNT(CASE WHEN {in_window} THEN 1 END) AS n_window,
           COUNT(*) AS n,
           COUNT(CASE WHEN {performed} THEN 1 END) AS n_performed,
           SUM(CASE WHEN x.amount IS NOT NULL AND NOT {performed}
                    THEN CAST(FLOOR(x.amount) AS BIGINT) ELSE 0 END) AS owed,
           MAX(x.decided_on) AS last_on, MIN(x.decided_on) AS first_on
    FROM k_dates g
    JOIN (
      SELECT p.subject, p.s, p.e, p.record, sel.model, sel.char_id, r.decided_on, r.amount,
             r.resolved_on
      FROM parts p JOIN k_recs r ON r.record = p.record AND r.subject = p.subject
      JOIN c_card_select sel ON sel.item = p.item
    ) x ON x.subject = g.subject AND x.model = g.model AND x.s <= g.d AND g.d < x.e
    JOIN c_card_chars c ON c.model = x.model AND c.char_id = x.char_id
    GROUP BY g.subject, g.model, g.d, x.char_id"""


def _values_sql(dialect: Dialect) -> str:
    """Every characteristic on every date; NULL counts where no record counts (``_value``
    reads them as zero). The records are counted by an inner join first and only the totals
    are joined to the dates: an outer join of the records to every date and characteristic
    keeps a hash table of all of them (docs/benchmarks.md, batch scorer)."""
    return f"""
  SELECT g.subject, g.model, g.d, c.char_id, c.kind, a.n_window, a.n, a.n_performed, a.owed,
         a.last_on, a.first_on
  FROM k_dates g
  JOIN c_card_chars c ON c.model = g.model
  LEFT JOIN ({_counted_sql(dialect)}
  ) a ON a.subject = g.subject AND a.model = g.model AND a.d = g.d AND a.char_id = c.char_id"""


def _value(dialect: Dialect) -> str:
    share = dialect.int_div("100 * n_performed", "n")
    return f"""CASE kind
      WHEN 'count' THEN COALESCE(n_window, 0)
      WHEN 'amount_in_arrears' THEN COALESCE(owed, 0)
      WHEN 'share_performed' THEN CASE WHEN COALESCE(n, 0) > 0 THEN {share} END
      WHEN 'months_since_last' THEN {_months_between(dialect, "last_on", "d")}
      ELSE {_months_between(dialect, "first_on", "d")} END"""


def card_segments_sql(dialect: Dialect) -> str:
    """Per subject and scorecard: the score on every segment ``[s, e)`` of time."""
    in_bin = (
        "((v.value IS NULL AND b.missing) OR (v.value IS NOT NULL AND NOT b.missing "
        "AND (b.lo IS NULL OR v.value >= b.lo) AND (b.hi IS NULL OR v.value < b.hi)))"
    )
    return f"""
WITH {_RECS}, k_dates AS ({_dates_sql(dialect)}
), k_values AS ({_values_sql(dialect)}
), k_points AS (
  SELECT v.subject, v.model, v.d, SUM(b.points) AS points FROM (
    SELECT subject, model, d, char_id, {_value(dialect)} AS value FROM k_values
  ) v JOIN c_card_bins b ON b.model = v.model AND b.char_id = v.char_id AND {in_bin}
  GROUP BY v.subject, v.model, v.d
), k_segments AS (
  SELECT k.subject, k.model, k.d AS s,
         LEAD(k.d, 1, {OPEN_END}) OVER (PARTITION BY k.subject, k.model ORDER BY k.d) AS e,
         LEAST(m.vmax, GREATEST(m.vmin, m.base + k.points)) AS value
  FROM k_points k JOIN c_card_models m ON m.model = k.model
)
SELECT g.subject, g.model, g.s, g.e, g.value, b.grade
FROM k_segments g JOIN c_bands b ON b.model = g.model AND g.value BETWEEN b.lo AND b.hi
WHERE g.s < g.e"""


def card_values_sql(dialect: Dialect, as_of: str) -> str:
    """Each characteristic's value on the day (the engine rebuilds bins, points and reasons
    from them: ``batch.assessments``)."""
    return f"""
WITH {_RECS}, k_dates AS (
  SELECT k.subject, m.model, {as_of} AS d
  FROM subjects k JOIN c_card_models m ON {applies("m", "k")}
), k_values AS ({_values_sql(dialect)}
)
SELECT subject, model, char_id, {_value(dialect)} AS value FROM k_values"""


def card_scores_sql(as_of: str) -> str:
    """Rows of ``scores`` for the scorecards: the segment holding the day."""
    return f"""
SELECT g.subject, k.kind, g.model, g.value, g.grade
FROM card_segments g JOIN subjects k ON k.subject = g.subject
WHERE g.s <= {as_of} AND {as_of} < g.e"""


def card_ticks_sql(dialect: Dialect, as_of: str) -> str:
    """The next monthly anniversary after the day of the decision of every record that a months
    characteristic selects and that counts on or after the day: a months value shown with the
    score may change then (``engine.scorecard.value_dates``), so it is a change date."""
    months = dialect.add_months(
        "c.decided_on", f"{_months_between(dialect, 'c.decided_on', as_of)} + 1"
    )
    return f"""
SELECT DISTINCT t.subject, sel.model, {months} AS d
FROM timeline t
JOIN card_records c ON c.record = t.record AND c.subject = t.subject
JOIN c_card_select sel ON sel.item = t.item
JOIN c_card_chars ch ON ch.model = sel.model AND ch.char_id = sel.char_id
JOIN c_card_models m ON m.model = sel.model AND {applies("m", "t")}
WHERE t.stops_on > {as_of} AND ch.kind IN ('months_since_last', 'tenure_months')"""
