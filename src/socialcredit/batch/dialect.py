"""The few SQL spellings where DuckDB and Spark SQL differ; every step is written through these.

Open ends of intervals are sentinel dates (``OPEN_START``, ``OPEN_END``), the SQL counterparts
of ``date.min`` and ``date.max`` in :mod:`socialcredit.engine.intervals`; outputs turn them into
NULL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

OPEN_START = "DATE '0001-01-01'"
OPEN_END = "DATE '9999-12-31'"


@dataclass(frozen=True)
class Dialect:
    name: str

    def add_days(self, day: str, days: str) -> str:
        if self.name == "spark":
            return f"date_add({day}, CAST({days} AS INT))"
        return f"({day} + CAST({days} AS INTEGER))"

    def add_months(self, day: str, months: str) -> str:
        """Calendar months, clamped to the month's end (31 Jan + 1 month = 28/29 Feb)."""
        if self.name == "spark":
            return f"add_months({day}, CAST({months} AS INT))"
        return f"CAST({day} + to_months(CAST({months} AS INTEGER)) AS DATE)"

    def shift(self, day: str, months: str, days: str) -> str:
        """``day`` + a policy duration stored as (months, days), one of them zero."""
        return (
            f"(CASE WHEN {months} > 0 THEN {self.add_months(day, months)} "
            f"ELSE {self.add_days(day, days)} END)"
        )

    def matches(self, text: str, pattern: str) -> str:
        """Whether the whole of ``text`` matches ``pattern`` (anchor it with ^...$)."""
        if self.name == "spark":
            return f"({text} RLIKE '{pattern}')"
        return f"regexp_matches({text}, '{pattern}')"

    def without_whitespace(self, text: str) -> str:
        if self.name == "spark":
            return f"regexp_replace({text}, '\\\\s+', '')"
        return f"regexp_replace({text}, '\\s+', '', 'g')"

    def to_int(self, text: str) -> str:
        return f"TRY_CAST({text} AS INT)"


DUCKDB = Dialect("duckdb")
SPARK = Dialect("spark")


def date_literal(day: date) -> str:
    return f"DATE '{day.isoformat()}'"


def open_to_null(column: str) -> str:
    """NULL for the sentinel open ends, as ``engine.intervals.render`` does."""
    return f"(CASE WHEN {column} IN ({OPEN_START}, {OPEN_END}) THEN NULL ELSE {column} END)"
