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
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004"
    "\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
"""Python's whitespace (``str.isspace``): what ``str.strip`` and ``str.split`` remove."""


def _char_class(chars: str) -> str:
    """A regular expression class of ``chars`` (sorted), runs as ranges, each character as
    ``\\x{hh}`` (read alike by RE2, DuckDB's, and Java, Spark's)."""
    codes = sorted(ord(c) for c in chars)
    runs: list[list[int]] = []
    for code in codes:
        if runs and code == runs[-1][1] + 1:
            runs[-1][1] = code
        else:
            runs.append([code, code])
    parts = [f"\\x{{{a:x}}}" + (f"-\\x{{{b:x}}}" if b > a else "") for a, b in runs]
    return "[" + "".join(parts) + "]"


_SPACE_CLASS = _char_class(WHITESPACE)
_ABOVE_SPACES = chr(0x4000)
"""Every character from here on is not whitespace (the last is U+3000); in UTF-8 a text that
starts with one compares, byte by byte, at or above it (CJK ideographs among them)."""


def _plain(text: str) -> str:
    """Whether ``text`` starts with a printable ASCII character (``!`` to ``~``) or one at or
    above U+4000: not whitespace, known from a byte comparison (DuckDB and Spark compare text
    as unsigned UTF-8 bytes)."""
    return f"({text} >= '!' AND {text} < chr(127) OR {text} >= '{_ABOVE_SPACES}')"


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

    def has_control(self, text: str) -> str:
        """Whether ``text`` holds a character ``engine.hygiene.SINGLE_LINE`` refuses."""
        if self.name == "spark":  # Java's regular expressions, in a literal that reads escapes
            return f"({text} RLIKE '[\\\\x00-\\\\x1f\\\\x7f-\\\\x9f\\\\u2028\\\\u2029]')"
        return f"regexp_matches({text}, '[\\x00-\\x1f\\x7f-\\x9f\\x{{2028}}\\x{{2029}}]')"

    def _replace_all(self, text: str, pattern: str) -> str:
        if self.name == "spark":  # Spark reads backslash escapes in string literals
            return f"regexp_replace({text}, '{pattern.replace(chr(92), chr(92) * 2)}', '')"
        return f"regexp_replace({text}, '{pattern}', '', 'g')"

    def has_whitespace(self, text: str) -> str:
        """Whether ``text`` holds a whitespace character (a search: cheaper than removing
        them)."""
        if self.name == "spark":  # Spark reads backslash escapes in string literals
            return f"({text} RLIKE '{_SPACE_CLASS.replace(chr(92), chr(92) * 2)}')"
        return f"regexp_matches({text}, '{_SPACE_CLASS}')"

    def without_whitespace(self, text: str) -> str:
        """``text`` without any whitespace, as ``identity.kinds.compact``."""
        return self._replace_all(text, f"{_SPACE_CLASS}+")

    def trimmed(self, text: str) -> str:
        """``str(text).strip() or None``, as ``engine.validation`` reads a text field.

        Most values start and end with a character that is not whitespace and that a byte
        comparison recognises (:func:`_plain`): they are taken as they are, and only the others
        go through the regular expression (several times faster on a million rows).
        """
        clean = f"{_plain(text)} AND {_plain(f'right({text}, 1)')}"
        return f"(CASE WHEN {clean} THEN {text} ELSE {self._stripped(text)} END)"

    def blank(self, text: str) -> str:
        """Whether ``text`` is NULL or only whitespace (``trimmed`` gives NULL): its first
        character alone answers for most values."""
        return f"({text} IS NULL OR NOT {_plain(text)} AND {self._stripped(text)} IS NULL)"

    def _stripped(self, text: str) -> str:
        pattern = f"^{_SPACE_CLASS}+|{_SPACE_CLASS}+\\z"
        return f"NULLIF({self._replace_all(text, pattern)}, '')"

    def int_div(self, number: str, divisor: str) -> str:
        """Integer division of non-negative integers."""
        if self.name == "spark":
            return f"({number} div {divisor})"
        return f"({number} // {divisor})"

    def to_int(self, text: str) -> str:
        return f"TRY_CAST({text} AS INT)"


DUCKDB = Dialect("duckdb")
SPARK = Dialect("spark")


def date_literal(day: date) -> str:
    return f"DATE '{day.isoformat()}'"


def open_to_null(column: str) -> str:
    """NULL for the sentinel open ends, as ``engine.intervals.render`` does."""
    return f"(CASE WHEN {column} IN ({OPEN_START}, {OPEN_END}) THEN NULL ELSE {column} END)"
