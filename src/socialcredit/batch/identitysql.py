"""``parse_subject`` in SQL: canonical identifier, kind and warning of a subject column.

The same rules as :mod:`socialcredit.identity.subject` (GB 11643 ISO 7064 MOD 11-2 check
character, GB 32100 check character, 15-digit legacy numbers converted, look-alikes), written
as column expressions so that a population is validated without a loop over rows. Tested
against the identity layer on random inputs.
"""

from __future__ import annotations

from socialcredit.batch.dialect import Dialect
from socialcredit.identity.resident import (
    MAX_BIRTH_YEAR,
    MIN_BIRTH_YEAR,
    RESIDENT_CHECK_CHARACTERS,
    RESIDENT_WEIGHTS,
)
from socialcredit.identity.uscc import ALPHABET, USCC_WEIGHTS

_RESIDENT_SHAPE = "^[1-8][0-9]{16}.$"  # any last character: a mistyped check character
_USCC_SHAPE = "^[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$"
LOOKALIKE_WARNING = "also reads as a resident identity number with a wrong check character"
USCC_WARNING = "credit code check character does not match; flagged for review"


def _resident_check(dialect: Dialect, number: str) -> str:
    """The check character of the 17 digits of the integer ``number`` (leading zeros count)."""
    terms = " + ".join(
        f"({dialect.int_div(number, str(10 ** (16 - i)))} % 10) * {w}"
        for i, w in enumerate(RESIDENT_WEIGHTS)
    )
    return f"substr('{RESIDENT_CHECK_CHARACTERS}', (({terms}) % 11) + 1, 1)"


def _uscc_check(first17: str) -> str:
    terms = " + ".join(
        f"(instr('{ALPHABET}', substr({first17}, {i + 1}, 1)) - 1) * {w}"
        for i, w in enumerate(USCC_WEIGHTS)
    )
    return f"substr('{ALPHABET}', ((31 - (({terms}) % 31)) % 31) + 1, 1)"


def _birth_ok(y: str, m: str, d: str) -> str:
    """Whether the integers ``y``, ``m``, ``d`` make a birth date of the accepted range."""
    leap = f"(({y} % 4 = 0 AND {y} % 100 <> 0) OR {y} % 400 = 0)"
    month_days = (
        f"(CASE WHEN {m} = 2 THEN (CASE WHEN {leap} THEN 29 ELSE 28 END) "
        f"WHEN {m} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)"
    )
    return (
        f"({y} BETWEEN {MIN_BIRTH_YEAR} AND {MAX_BIRTH_YEAR} AND {m} BETWEEN 1 AND 12 "
        f"AND {d} >= 1 AND {d} <= {month_days})"
    )


def _date_stages(dialect: Dialect, legacy17: str) -> str:
    """CTEs ``id_ymd`` (the birth date's numbers and the first 17 digits as one integer, for
    the texts shaped as resident identity numbers) and ``id_flags`` (valid birth dates), the
    last one left open for the caller's ``)``."""
    return f"""id_ymd AS (
  SELECT raw, v, u, legacy_shape, resident_shape, uscc_shape,
         {dialect.to_int("substr(ymd, 1, 4)")} AS y, {dialect.to_int("substr(ymd, 5, 2)")} AS m,
         {dialect.to_int("substr(ymd, 7, 2)")} AS d,
         CAST(first17 AS BIGINT) AS n17
  FROM (
    SELECT id_shape.*,
           CASE WHEN legacy_shape THEN '19' || substr(v, 7, 6)
                WHEN resident_shape THEN substr(u, 7, 8) END AS ymd,
           CASE WHEN legacy_shape THEN {legacy17}
                WHEN resident_shape THEN substr(u, 1, 17) END AS first17
    FROM id_shape
  ) s
), id_flags AS (
  SELECT raw, v, u, uscc_shape, n17,
         COALESCE(legacy_shape AND {_birth_ok("y", "m", "d")}, FALSE) AS legacy_ok,
         COALESCE(resident_shape AND {_birth_ok("y", "m", "d")}, FALSE) AS looks
  FROM id_ymd"""


def subject_ids_sql(dialect: Dialect, source: str) -> str:
    """A query over the distinct subject texts of ``source`` (a column ``subject``): ``raw``,
    the canonical ``c_subject`` (NULL when refused), ``c_kind`` and ``warning``.

    Flags are computed once per distinct text, in stages, so that no check is repeated; the
    credit code's check character only where the text is not a valid resident identity number
    (it only decides between an organisation, a warning and a refusal there).
    """
    v = dialect.without_whitespace("raw")
    legacy17 = "(substr(v, 1, 6) || '19' || substr(v, 7, 9))"
    return f"""
WITH id_text AS (
  SELECT raw, {v} AS v, upper({v}) AS u FROM (SELECT DISTINCT subject AS raw FROM {source}) d
), id_shape AS (
  SELECT raw, v, u,
         (length(v) = 15 AND {dialect.matches("v", "^[1-8][0-9]{14}$")}) AS legacy_shape,
         (length(u) = 18 AND {dialect.matches("u", _RESIDENT_SHAPE)}) AS resident_shape,
         (length(u) = 18 AND {dialect.matches("u", _USCC_SHAPE)}) AS uscc_shape
  FROM id_text
), {_date_stages(dialect, legacy17)}), id_resident AS (
  SELECT raw, v, u, uscc_shape, legacy_ok, looks,
         COALESCE(CASE WHEN looks THEN {_resident_check(dialect, "n17")}
                  = substr(u, 18, 1) END, FALSE) AS resident_ok,
         CASE WHEN legacy_ok THEN {legacy17} || {_resident_check(dialect, "n17")} END
           AS legacy_id
  FROM id_flags
), id_checks AS (
  SELECT raw, v, u, uscc_shape, legacy_ok, looks, resident_ok, legacy_id,
         COALESCE(CASE WHEN uscc_shape AND NOT resident_ok
                  THEN {_uscc_check("substr(u, 1, 17)")} = substr(u, 18, 1) END, FALSE)
           AS uscc_ok
  FROM id_resident
)
SELECT raw,
       CASE WHEN legacy_ok THEN legacy_id
            WHEN length(v) = 15 THEN NULL
            WHEN resident_ok OR uscc_shape AND (NOT looks OR uscc_ok) THEN u END AS c_subject,
       CASE WHEN legacy_ok OR resident_ok THEN 'person'
            WHEN length(v) = 15 THEN NULL
            WHEN uscc_shape AND (NOT looks OR uscc_ok) THEN 'organisation' END AS c_kind,
       CASE WHEN length(v) = 18 AND looks AND NOT resident_ok AND uscc_shape AND uscc_ok
              THEN '{LOOKALIKE_WARNING}'
            WHEN length(v) = 18 AND NOT looks AND uscc_shape AND NOT uscc_ok
              THEN '{USCC_WARNING}' END AS warning
FROM id_checks"""
