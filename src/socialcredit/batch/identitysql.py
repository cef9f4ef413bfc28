"""``parse_subject`` in SQL: canonical identifier, kind and warning of a subject column.

The same rules as :mod:`socialcredit.identity.subject`, written as column expressions so that a
population is validated without a loop over rows: the declared ``identifier_kind``, or the one
kind the format allows (an all-digit 18-character text is a person's number, refused with its
reason if invalid, never read as a credit code); per kind its shape, region or country, birth
date and check character (GB 11643 ISO 7064 MOD 11-2, GB 32100, GB 11714). Tested against the
identity layer on random inputs.
"""

from __future__ import annotations

from collections.abc import Iterable

from socialcredit.batch.dialect import Dialect
from socialcredit.identity.kinds import IdentifierKind
from socialcredit.identity.orgcode import WEIGHTS as ORG_WEIGHTS
from socialcredit.identity.permits import (
    CARD_PROVINCES,
    PERMIT_REGIONS,
    alpha3_codes,
    numeric_codes,
)
from socialcredit.identity.resident import (
    MAX_BIRTH_YEAR,
    MIN_BIRTH_YEAR,
    PROVINCES,
    RESIDENT_CHECK_CHARACTERS,
    RESIDENT_WEIGHTS,
)
from socialcredit.identity.uscc import ALPHABET, USCC_WEIGHTS

_USCC_SHAPE = "^[0-9A-HJ-NP-RTUWXY]{2}[0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}$"
_DIGITS18 = "^[0-9]{17}[0-9X]$"
_ORG_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
USCC_WARNING = "credit code check character does not match; flagged for review"
K = IdentifierKind


def _in(column: str, values: Iterable[str]) -> str:
    listed = ", ".join(f"'{v}'" for v in sorted(values))
    return f"{column} IN ({listed})"


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


def org_check(code: str) -> str:
    terms = " + ".join(
        f"(instr('{_ORG_ALPHABET}', substr({code}, {i + 1}, 1)) - 1) * {w}"
        for i, w in enumerate(ORG_WEIGHTS)
    )
    return f"substr('0123456789X0', (11 - (({terms}) % 11)) + 1, 1)"


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


def _person_region() -> str:
    """``identity.subject._person_like``'s region: a province, a permit's region, or 9 and the
    province of a permanent residence card."""
    return (
        f"{_in('substr(u, 1, 2)', PROVINCES)} OR {_in('substr(u, 1, 6)', PERMIT_REGIONS)} "
        f"OR (substr(u, 1, 1) = '9' AND {_in('substr(u, 2, 2)', CARD_PROVINCES)})"
    )


def _inferred(dialect: Dialect) -> str:
    """``identity.subject.inferred_kind`` over the upper-case text ``u``."""
    return f"""CASE WHEN instr(u, ':') > 0 THEN '{K.PASSPORT}'
       WHEN length(u) = 9 OR (length(u) = 10 AND substr(u, 9, 1) = '-')
         THEN '{K.ORGANISATION_CODE}'
       WHEN length(u) = 15 AND {dialect.matches("u", "^[A-Z]{3}")}
         THEN '{K.PERMANENT_RESIDENCE}'
       WHEN length(u) = 15 THEN '{K.RESIDENT}'
       WHEN length(u) = 18 AND NOT digits18 AND NOT (digits17 AND born_ok AND ({_person_region()}))
         THEN '{K.USCC}'
       WHEN length(u) = 18 AND {_in("substr(u, 1, 6)", PERMIT_REGIONS)}
         THEN '{K.RESIDENCE_PERMIT}'
       WHEN length(u) = 18 AND substr(u, 1, 1) = '9' THEN '{K.PERMANENT_RESIDENCE}'
       WHEN length(u) = 18 THEN '{K.RESIDENT}' END"""


def _stages(dialect: Dialect, source: str) -> str:
    """CTEs up to ``id_kind``: the text, its shapes, birth date, checks and kind."""
    v = dialect.without_whitespace("raw")
    k = dialect.trimmed("kraw")
    legacy17 = "(substr(v, 1, 6) || '19' || substr(v, 7, 9))"
    return f"""id_text AS (
  SELECT raw, kraw, {v} AS v, upper({v}) AS u, {k} AS k
  FROM (SELECT DISTINCT subject AS raw, identifier_kind AS kraw FROM {source}) d
), id_shape AS (
  SELECT id_text.*,
         (length(u) = 18 AND {dialect.matches("u", _DIGITS18)}) AS digits18,
         (length(u) = 18 AND {dialect.matches("u", "^[0-9]{17}")}) AS digits17,
         (length(v) = 15 AND {dialect.matches("v", "^[0-9]{15}$")}) AS legacy_shape
  FROM id_text
), id_ymd AS (
  SELECT id_shape.*,
         {dialect.to_int("substr(ymd, 1, 4)")} AS y, {dialect.to_int("substr(ymd, 5, 2)")} AS m,
         {dialect.to_int("substr(ymd, 7, 2)")} AS d, CAST(first17 AS BIGINT) AS n17
  FROM (
    SELECT id_shape.*,
           CASE WHEN legacy_shape THEN '19' || substr(v, 7, 6)
                WHEN digits17 THEN substr(u, 7, 8) END AS ymd,
           CASE WHEN legacy_shape THEN {legacy17}
                WHEN digits17 THEN substr(u, 1, 17) END AS first17
    FROM id_shape
  ) id_shape
), id_checks AS (
  SELECT id_ymd.*,
         COALESCE((digits17 OR legacy_shape) AND {_birth_ok("y", "m", "d")}, FALSE) AS born_ok,
         COALESCE(digits18 AND {_resident_check(dialect, "n17")} = substr(u, 18, 1), FALSE)
           AS check_ok,
         CASE WHEN legacy_shape THEN {legacy17} || {_resident_check(dialect, "n17")} END
           AS legacy_id,
         CASE WHEN length(u) = 10 AND substr(u, 9, 1) = '-'
              THEN substr(u, 1, 8) || substr(u, 10, 1) ELSE u END AS org
  FROM id_ymd
), id_kind AS (
  SELECT id_checks.*, {_inferred(dialect)} AS inferred, COALESCE(k, {_inferred(dialect)}) AS kind
  FROM id_checks
)"""


def _valid(kind: str) -> str:
    """Whether the text is a valid identifier of the kind in column ``kind`` (in canonical
    ``u``, or ``v`` for a 15-digit resident number), kind by kind."""
    gb11643 = "digits18 AND born_ok AND check_ok"
    return f"""CASE {kind}
    WHEN '{K.RESIDENT}' THEN (({gb11643}) OR (legacy_shape AND born_ok))
      AND {_in("substr(u, 1, 2)", PROVINCES)}
    WHEN '{K.RESIDENCE_PERMIT}' THEN {gb11643} AND {_in("substr(u, 1, 6)", PERMIT_REGIONS)}
    WHEN '{K.PERMANENT_RESIDENCE}' THEN ({gb11643} AND substr(u, 1, 1) = '9'
      AND {_in("substr(u, 2, 2)", CARD_PROVINCES)} AND {_in("substr(u, 4, 3)", numeric_codes())})
      OR (length(u) = 15 AND u_card_2004 AND {_in("substr(u, 1, 3)", alpha3_codes())})
    WHEN '{K.PASSPORT}' THEN u_passport AND {_in("substr(u, 1, 3)", alpha3_codes())}
    WHEN '{K.USCC}' THEN u_uscc
    WHEN '{K.ORGANISATION_CODE}' THEN org_check = substr(org, 9, 1)
    ELSE FALSE END"""


def subject_ids_sql(dialect: Dialect, source: str) -> str:
    """A query over the distinct (subject, identifier_kind) pairs of ``source``: ``raw``,
    ``kraw``, the canonical ``c_subject`` (NULL when refused), ``c_kind`` and ``warning``."""
    organisations = f"'{K.USCC}', '{K.ORGANISATION_CODE}'"
    return f"""
WITH {_stages(dialect, source)}, id_more AS (
  SELECT id_kind.*,
         {dialect.matches("u", "^[A-Z]{3}[0-9]{12}$")} AS u_card_2004,
         {dialect.matches("u", "^[A-Z]{3}:[A-Z0-9]{1,9}$")} AS u_passport,
         (length(u) = 18 AND {dialect.matches("u", _USCC_SHAPE)}) AS u_uscc,
         (length(u) = 18 AND {_uscc_check("substr(u, 1, 17)")} = substr(u, 18, 1)) AS uscc_ok,
         CASE WHEN kind = '{K.ORGANISATION_CODE}' AND length(org) = 9
                   AND {dialect.matches("org", "^[0-9A-Z]{8}[0-9X]$")}
              THEN {org_check("org")} END AS org_check
  FROM id_kind
), id_valid AS (
  SELECT id_more.*,
         COALESCE({_valid("kind")}, FALSE)
           AND NOT (k = '{K.USCC}' AND NOT uscc_ok AND inferred <> '{K.USCC}'
                    AND COALESCE({_valid("inferred")}, FALSE))
           AS valid
  FROM id_more
)
SELECT raw, kraw,
       CASE WHEN NOT valid THEN NULL
            WHEN kind = '{K.RESIDENT}' AND legacy_shape THEN legacy_id
            WHEN kind = '{K.ORGANISATION_CODE}' THEN org
            ELSE u END AS c_subject,
       CASE WHEN NOT valid THEN NULL
            WHEN kind IN ({organisations}) THEN 'organisation' ELSE 'person' END AS c_kind,
       CASE WHEN valid AND kind = '{K.USCC}' AND NOT uscc_ok THEN '{USCC_WARNING}' END
         AS warning
FROM id_valid"""
