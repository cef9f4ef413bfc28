"""Input hygiene: the one rule for text and dates that every door applies (record files, the
batch scorer, the HTTP API, the command line).

Text: no control characters (NUL among them: PostgreSQL cannot store it, and nothing lawful
needs one) other than tab, line feed and carriage return in multi-line fields, and a length
limit per field. Dates: inside a window wide enough for every lawful record and narrow enough
that a term of years added to it stays a date (``9999-12-31`` plus three years is not one).
"""

from __future__ import annotations

import re
from datetime import date

CONTROLS = r"\x00-\x1f\x7f-\x9f\u2028\u2029"
"""Control characters, the C1 range and the Unicode line and paragraph separators (a regular
expression character range, for patterns in JSON Schema as well)."""
TEXT_CONTROLS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
"""The same less tab, line feed and carriage return, for multi-line texts (grounds,
statements, reasons)."""
SINGLE_LINE = re.compile(f"[{CONTROLS}]")
MULTI_LINE = re.compile(f"[{TEXT_CONTROLS}]")
SINGLE_LINE_PATTERN = f"^[^{CONTROLS}]*$"
MULTI_LINE_PATTERN = f"^[^{TEXT_CONTROLS}]*$"

RECORD_TEXT_LIMITS = {
    "id": 200,
    "subject": 40,
    "item": 64,
    "authority": 300,
    "reference": 300,
    "amount": 40,
    "dispute_outcome": 20,
}
"""The longest value, in characters, of each text field of a record (the API's are the same)."""
SHORT_TEXT = 300
"""Names, purposes and other one-line texts."""
LONG_TEXT = 4000
"""Grounds, statements and reasons."""

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)
"""No record date lies outside these (a sanity window; the registry narrows it further to its
own date)."""


def text_problem(field: str, value: str, limit: int, multiline: bool = False) -> str | None:
    """Why ``value`` is not acceptable text for ``field``, or None."""
    if len(value) > limit:
        return f"{field} is {len(value)} characters long; at most {limit} are accepted"
    found = (MULTI_LINE if multiline else SINGLE_LINE).search(value)
    if found is not None:
        return f"{field} contains a control character (U+{ord(found.group()):04X})"
    return None


def date_problem(field: str, value: date) -> str | None:
    """Why ``value`` is not a plausible date for ``field``, or None."""
    if EARLIEST_DATE <= value <= LATEST_DATE:
        return None
    return f"{field} {value} is outside {EARLIEST_DATE} to {LATEST_DATE}"
