"""Step ``validated``: ``engine.validate_record`` as columns, every reason of every row.

A row is rejected when ``reasons`` is not empty; each reason starts with the column it is
about (``subject: ...``), so that an error can name the column. Identifier warnings (a credit
code whose check character fails) are kept in ``warning`` and do not reject the row.
"""

from __future__ import annotations

from socialcredit.batch.dialect import Dialect
from socialcredit.batch.identitysql import subject_ids_sql
from socialcredit.engine import DisputeOutcome

DATE_COLUMNS = ("notified_on", "resolved_on", "revoked_on", "disputed_on")
OUTCOMES = tuple(outcome.value for outcome in DisputeOutcome)


def _text(column: str) -> str:
    return f"NULLIF(TRIM({column}), '')"


def _reasons() -> list[tuple[str, str]]:
    """(condition, reason) pairs over the columns of ``v_joined``."""
    outcomes = ", ".join(f"'{o}'" for o in OUTCOMES)
    negative = "known_item IS NOT NULL AND negative"
    pairs = [
        ("rid IS NULL", "id: id is missing"),
        ("rid IS NOT NULL AND id_seq > 1", "id: the record id is already used in this partition"),
        ("v IS NULL OR v = ''", "subject: subject is missing"),
        (
            "v <> '' AND c_subject IS NULL",
            "subject: not a valid resident identity number or unified social credit code",
        ),
        ("item_code IS NULL", "item: item is missing"),
        ("item_code IS NOT NULL AND known_item IS NULL", "item: item is not in the catalogue"),
        (
            "known_item IS NOT NULL AND ((c_kind = 'person' AND NOT for_person) OR "
            "(c_kind = 'organisation' AND NOT for_org))",
            "item: the item does not apply to the subject kind",
        ),
        (
            f"{negative} AND {_text('authority')} IS NULL",
            "authority: a negative record needs its deciding authority (principle 3)",
        ),
        (
            f"{negative} AND {_text('reference')} IS NULL",
            "reference: a negative record needs its decision reference (principle 3)",
        ),
        ("decided_on IS NULL", "decided_on: decided_on is missing"),
    ]
    pairs += [(f"{c} < decided_on", f"{c}: {c} is before decided_on") for c in DATE_COLUMNS]
    pairs += [
        (
            "dispute_decided_on IS NOT NULL AND disputed_on IS NULL",
            "dispute_decided_on: set but the record was never disputed",
        ),
        ("dispute_decided_on < disputed_on", "dispute_decided_on: before disputed_on"),
        (
            "dispute_decided_on IS NOT NULL AND outcome IS NULL",
            "dispute_outcome: dispute_decided_on is set without a dispute_outcome",
        ),
        (
            "dispute_decided_on IS NULL AND outcome IS NOT NULL",
            "dispute_outcome: set but dispute_decided_on is not",
        ),
        (
            f"outcome IS NOT NULL AND outcome NOT IN ({outcomes})",
            f"dispute_outcome: not one of {', '.join(OUTCOMES)}",
        ),
        ("amount < 0 OR isnan(amount)", "amount: must be a non-negative number"),
    ]
    return pairs


def validated_sql(dialect: Dialect) -> str:
    """Every row with its reasons; the text of the reasons is built only for the rows that
    have one (most rows have none), and the window that finds a reused id runs only over the
    rows whose id occurs more than once."""
    pairs = _reasons()
    reasons = ",\n    ".join(f"CASE WHEN {cond} THEN '{text}' END" for cond, text in pairs)
    refused = " OR ".join(f"COALESCE({cond}, FALSE)" for cond, _text in pairs)
    return f"""
WITH v_ids AS ({subject_ids_sql(dialect, "raw_records")}
), v_parsed AS (
  SELECT r.*, {_text("r.id")} AS rid, {_text("r.item")} AS item_code,
         {_text("r.dispute_outcome")} AS outcome, ids.c_subject, ids.c_kind, ids.warning,
         {_text("r.subject")} AS v
  FROM raw_records r LEFT JOIN v_ids ids ON ids.raw = r.subject
), v_reused AS (
  SELECT rid FROM v_parsed WHERE rid IS NOT NULL GROUP BY rid HAVING COUNT(*) > 1
), v_seq AS (
  SELECT p.src_file, p.src_row,
         ROW_NUMBER() OVER (PARTITION BY p.rid ORDER BY p.src_file, p.src_row) AS id_seq
  FROM v_parsed p JOIN v_reused u ON u.rid = p.rid
), v_joined AS (
  SELECT v_parsed.*, i.item AS known_item, i.negative, i.for_person, i.for_org,
         COALESCE(q.id_seq, 1) AS id_seq
  FROM v_parsed LEFT JOIN c_items i ON i.item = v_parsed.item_code
  LEFT JOIN v_seq q ON q.src_file = v_parsed.src_file AND q.src_row = v_parsed.src_row
)
SELECT src_file, src_row, id AS raw_id, subject AS raw_subject, item AS raw_item,
       rid, c_subject, c_kind, item_code, decided_on, notified_on, resolved_on, revoked_on,
       disputed_on, dispute_decided_on, outcome, warning,
       CASE WHEN {refused} THEN concat_ws('; ',
    {reasons}) ELSE '' END AS reasons
FROM v_joined"""


def quarantine_sql() -> str:
    return """
SELECT v.reasons, r.*
FROM validated v JOIN raw_records r ON r.src_file = v.src_file AND r.src_row = v.src_row
WHERE v.reasons <> ''"""
