"""Rows filed under an old organisation code, resolved to the dataset's credit code (SQL).

As ``engine.orgcodes`` does for the records read together: a row whose subject is a national
organisation code (GB 11714) is assessed under the one credit code of the dataset whose
characters 9 to 17 are that code, and is refused when none or several embed it. The credit
codes known are those of the whole dataset: Spark reads it at once; the DuckDB executor, which
assesses one partition at a time, first finds the credit codes of every partition that embed a
code filed anywhere (:func:`filed_codes_sql`, then :func:`embedding_sql` if any, run only
when the dataset has more than one partition) into the constant table ``c_org_credit``. A row
whose credit code's records are in another partition is refused, since every record of a
subject must be in the subject's partition.
"""

from __future__ import annotations

import pyarrow as pa

from socialcredit.batch.dialect import Dialect
from socialcredit.batch.identitysql import org_check, subject_ids_sql

ORG_CREDIT = "c_org_credit"
ORG_CREDIT_SCHEMA = pa.schema([pa.field("org", pa.string()), pa.field("uscc", pa.string())])
UNMATCHED, AMBIGUOUS, ELSEWHERE = "unmatched", "ambiguous", "elsewhere"

REASONS = {
    UNMATCHED: "subject: the organisation code matches no unified social credit code of the "
    "dataset; file the record under the credit code",
    AMBIGUOUS: "subject: the organisation code is embedded in several unified social credit "
    "codes of the dataset (ambiguous); file the record under the credit code",
    ELSEWHERE: "subject: the credit code embedding the organisation code has its records in "
    "another partition; every record of a subject must be in its subject partition",
}


def empty_org_credit() -> pa.Table:
    """``c_org_credit`` when nothing is known beyond what is assessed together."""
    return ORG_CREDIT_SCHEMA.empty_table()


def _embedding(column: str) -> str:
    """Whether the canonical credit code ``column`` embeds a valid organisation code."""
    return (
        f"(length({column}) = 18 AND "
        f"{org_check(f'substr({column}, 9, 9)')} = substr({column}, 17, 1))"
    )


def credit_sql(ids: str) -> str:
    """The (org, uscc) pairs of the credit codes among the canonical identifiers ``ids``."""
    return (
        f"SELECT DISTINCT substr(c_subject, 9, 9) AS org, c_subject AS uscc FROM {ids} "
        f"WHERE c_kind = 'organisation' AND {_embedding('c_subject')}"
    )


def resolved_ctes(ids: str, name: str) -> str:
    """CTEs ending in ``name``: ``ids`` (``subject_ids_sql``'s columns) with each organisation
    code replaced by the credit code embedding it, NULL with ``org_problem`` when it cannot
    be."""
    return f"""o_local AS ({credit_sql(ids)}
), o_embeds AS (
  SELECT org, min(uscc) AS uscc, COUNT(DISTINCT uscc) AS n
  FROM (SELECT org, uscc FROM o_local UNION ALL SELECT org, uscc FROM {ORG_CREDIT}) k
  GROUP BY org
), o_ids AS (
  SELECT i.*, (i.c_kind = 'organisation' AND length(i.c_subject) = 9) AS filed_as_code,
         e.uscc AS e_uscc, e.n AS e_n, l.uscc AS l_uscc
  FROM {ids} i
  LEFT JOIN o_embeds e ON i.c_kind = 'organisation' AND length(i.c_subject) = 9
    AND e.org = i.c_subject
  LEFT JOIN o_local l ON l.uscc = e.uscc
), {name} AS (
SELECT raw, kraw, c_kind, warning,
       CASE WHEN NOT COALESCE(filed_as_code, FALSE) THEN c_subject
            WHEN e_n = 1 AND l_uscc IS NOT NULL THEN e_uscc END AS c_subject,
       CASE WHEN NOT COALESCE(filed_as_code, FALSE) THEN NULL
            WHEN e_n IS NULL THEN '{UNMATCHED}'
            WHEN e_n > 1 THEN '{AMBIGUOUS}'
            WHEN l_uscc IS NULL THEN '{ELSEWHERE}' END AS org_problem
FROM o_ids
)"""


def filed_codes_sql(dialect: Dialect, source: str) -> str:
    """The organisation codes (canonical) filed in ``source``, a relation with ``subject`` and
    ``identifier_kind`` (the whole dataset): the first pass's first query."""
    compact = dialect.without_whitespace("subject")
    spaced = dialect.has_whitespace("subject")
    maybe = f"(length(subject) IN (9, 10) OR length(subject) > 10 AND {spaced})"
    filed = f"(SELECT * FROM {source} WHERE {maybe} AND length({compact}) IN (9, 10)) f"
    return (
        f"SELECT DISTINCT c_subject AS org FROM ({subject_ids_sql(dialect, filed)}) c "
        "WHERE c_kind = 'organisation' AND length(c_subject) = 9"
    )


def embedding_sql(dialect: Dialect, source: str, codes: str) -> str:
    """The (org, uscc) pairs of the credit codes of ``source`` that embed one of the codes of
    the table ``codes`` (``filed_codes_sql``'s): the first pass's second query, run only when
    ``codes`` is not empty."""
    compact = dialect.without_whitespace("subject")
    usccs = (
        f"(SELECT * FROM {source} WHERE length({compact}) = 18 "
        f"AND upper(substr({compact}, 9, 9)) IN (SELECT org FROM {codes})) u"
    )
    return credit_sql(f"({subject_ids_sql(dialect, usccs)}) ids")
