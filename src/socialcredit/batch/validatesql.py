"""Step ``validated``: ``engine.validate_record`` as columns, every reason of every row.

A row is rejected when ``reasons`` is not empty; each reason starts with the column it is
about (``subject: ...``), so that an error can name the column. Identifier warnings (a credit
code whose check character fails) are kept in ``warning`` and do not reject the row.
"""

from __future__ import annotations

from socialcredit.batch.dialect import Dialect
from socialcredit.batch.identitysql import subject_ids_sql
from socialcredit.batch.orgcodesql import REASONS as ORG_REASONS
from socialcredit.batch.orgcodesql import resolved_ctes
from socialcredit.batch.schema import RECORD_COLUMNS
from socialcredit.engine import DisputeOutcome, NoticeState
from socialcredit.engine.hygiene import EARLIEST_DATE, LATEST_DATE, RECORD_TEXT_LIMITS
from socialcredit.engine.records import UNSERVED

DATE_COLUMNS = ("notified_on", "resolved_on", "revoked_on", "disputed_on")
ALL_DATES = ("decided_on", *DATE_COLUMNS, "dispute_decided_on")
TEXT_COLUMNS = tuple(name for name in RECORD_TEXT_LIMITS if name != "amount")
OUTCOMES = tuple(outcome.value for outcome in DisputeOutcome)
NOTICES = tuple(state.value for state in NoticeState)


def _reasons() -> list[tuple[str, str]]:
    """(condition, reason) pairs over the columns of ``v_joined``."""
    outcomes = ", ".join(f"'{o}'" for o in OUTCOMES)
    negative = "known_item IS NOT NULL AND negative"
    pairs = [
        ("rid IS NULL", "id: id is missing"),
        ("rid IS NOT NULL AND id_seq > 1", "id: the record id is already used in this partition"),
        ("no_subject", "subject: subject is missing"),
        (
            "NOT no_subject AND c_subject IS NULL AND org_problem IS NULL",
            "subject: not a valid identifier (of its identifier_kind, if declared)",
        ),
        *((f"org_problem = '{problem}'", reason) for problem, reason in ORG_REASONS.items()),
        ("item_code IS NULL", "item: item is missing"),
        ("item_code IS NOT NULL AND known_item IS NULL", "item: item is not in the catalogue"),
        (
            "known_item IS NOT NULL AND ((c_kind = 'person' AND NOT for_person) OR "
            "(c_kind = 'organisation' AND NOT for_org))",
            "item: the item does not apply to the subject kind",
        ),
        (
            f"{negative} AND no_authority",
            "authority: a negative record needs its deciding authority (principle 3)",
        ),
        (
            f"{negative} AND no_reference",
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
        ("bad_text", "text: a field is too long or contains a control character"),
    ]
    window = f"DATE '{EARLIEST_DATE}' AND DATE '{LATEST_DATE}'"
    span = f"outside {EARLIEST_DATE} to {LATEST_DATE}"
    pairs += [(f"{c} NOT BETWEEN {window}", f"{c}: {c} {span}") for c in ALL_DATES]
    return pairs + _notice_reasons()


def _notice_reasons() -> list[tuple[str, str]]:
    """A notice state is one of ``NoticeState``, with a date exactly when it is served."""
    notices = ", ".join(f"'{n}'" for n in NOTICES)
    unserved = ", ".join(f"'{n.value}'" for n in UNSERVED)
    served = ", ".join(f"'{n.value}'" for n in NoticeState if n not in UNSERVED)
    return [
        (
            f"notice IS NOT NULL AND notice NOT IN ({notices})",
            f"notice: not one of {', '.join(NOTICES)}",
        ),
        (
            f"notice IN ({unserved}) AND notified_on IS NOT NULL",
            "notice: notified_on is set but the notice is not served",
        ),
        (
            f"notice IN ({served}) AND notified_on IS NULL",
            "notice: served without notified_on, the date service completed",
        ),
    ]


def _bad_text_sql(dialect: Dialect) -> str:
    """Whether any text field, stripped as the engine reads it, breaks ``engine.hygiene``: too
    long or a control character."""
    tests = []
    for name in TEXT_COLUMNS:
        text = dialect.trimmed(f"r.{name}")  # as the engine reads it: stripped
        tests.append(f"length({text}) > {RECORD_TEXT_LIMITS[name]} OR {dialect.has_control(text)}")
    return "COALESCE(" + " OR ".join(f"({test})" for test in tests) + ", FALSE)"


def _duplicates_sql(dialect: Dialect) -> str:
    """CTEs ``v_reused`` (ids used more than once) and ``v_seq`` (the rank of each row of a
    reused id, in file and row order): a window over those rows only, not over every row.
    (A NULL id, reused or not, joins nothing: it is refused as missing.)"""
    rid = dialect.trimmed("id")
    return f"""v_reused AS (
  SELECT {rid} AS rid FROM raw_records GROUP BY {rid} HAVING COUNT(*) > 1
), v_seq AS (
  SELECT r.src_file, r.src_row,
         ROW_NUMBER() OVER (PARTITION BY u.rid ORDER BY r.src_file, r.src_row) AS id_seq
  FROM raw_records r JOIN v_reused u ON u.rid = {dialect.trimmed("r.id")}
)"""


def _parsed_sql(dialect: Dialect) -> str:
    """CTE ``v_parsed``: every row's text fields read as ``engine.validation`` reads them
    (stripped, empty as missing) and its subject's canonical identifier and kind."""
    return f"""v_parsed AS (
  SELECT r.src_file, r.src_row, r.decided_on, r.notified_on, r.resolved_on, r.revoked_on,
         r.disputed_on, r.dispute_decided_on, r.amount,
         {dialect.trimmed("r.id")} AS rid, {dialect.trimmed("r.item")} AS item_code,
         {dialect.trimmed("r.dispute_outcome")} AS outcome,
         {dialect.trimmed("r.notice")} AS notice,
         {dialect.blank("r.subject")} AS no_subject,
         {dialect.blank("r.authority")} AS no_authority,
         {dialect.blank("r.reference")} AS no_reference,
         {_bad_text_sql(dialect)} AS bad_text,
         ids.c_subject, ids.c_kind, ids.warning, ids.org_problem
  FROM raw_records r LEFT JOIN v_ids ids ON ids.raw = r.subject
    AND (ids.kraw = r.identifier_kind OR ids.kraw IS NULL AND r.identifier_kind IS NULL)
)"""


def validated_sql(dialect: Dialect) -> str:
    """Every row with its reasons (one scan of the input; the identifier checks once per
    distinct subject). Whether a row is refused is one condition; the text of its reasons is
    built only for the rows that are (most rows are not)."""
    pairs = _reasons()
    reasons = ",\n    ".join(f"CASE WHEN {cond} THEN '{text}' END" for cond, text in pairs)
    refused = " OR ".join(f"({cond})" for cond, _text in pairs)
    return f"""
WITH v_ids_filed AS ({subject_ids_sql(dialect, "raw_records")}
), {resolved_ctes("v_ids_filed", "v_ids")},
{_duplicates_sql(dialect)}, {_parsed_sql(dialect)}, v_joined AS (
  SELECT p.*, i.item AS known_item, i.negative, i.for_person, i.for_org,
         COALESCE(q.id_seq, 1) AS id_seq
  FROM v_parsed p LEFT JOIN c_items i ON i.item = p.item_code
  LEFT JOIN v_seq q ON q.src_file = p.src_file AND q.src_row = p.src_row
)
SELECT src_file, src_row, rid, c_subject, c_kind, item_code, decided_on, notified_on,
       notice, resolved_on, revoked_on, disputed_on, dispute_decided_on, outcome, amount, warning,
       CASE WHEN COALESCE({refused}, FALSE) THEN concat_ws('; ',
    {reasons}) ELSE '' END AS reasons
FROM v_joined"""


def quarantine_sql() -> str:
    """The rejected rows: their reasons, their columns as read, and the path of their file
    and their row in it."""
    columns = ", ".join(f"r.{name}" for name in RECORD_COLUMNS)
    return f"""
SELECT v.reasons, {columns}, f.path AS src_file, r.src_row
FROM validated v
JOIN raw_records r ON r.src_file = v.src_file AND r.src_row = v.src_row
JOIN source_files f ON f.src_file = r.src_file
WHERE v.reasons <> ''"""
