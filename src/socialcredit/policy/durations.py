"""Durations written in policies: ``2y``, ``6m``, ``30d`` (years, months, days).

Years and months are calendar arithmetic (a record decided on 31 January that counts for ``1m``
counts until 28 or 29 February); days are exact. Comparing a duration in days with one in months
(for the tier caps) is done conservatively: ``a <= b`` holds only if ``a`` never outlasts ``b``
whatever the start date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from typing import Annotated, Literal

from pydantic import BeforeValidator, PlainSerializer, WithJsonSchema

DURATION_PATTERN = r"^[1-9][0-9]{0,3}[ymd]$"
_DURATION_RE = re.compile(DURATION_PATTERN)
_REFERENCE_STARTS = tuple(date(2024, 1, 1) + timedelta(days=n) for n in range(4 * 366))


@dataclass(frozen=True, order=False)
class Duration:
    """A positive length of time in one unit: months (years are 12 months) or days."""

    amount: int
    unit: Literal["m", "d"]

    @classmethod
    def parse(cls, text: str) -> Duration:
        """Parse ``2y``, ``6m`` or ``30d``; raise ``ValueError`` on anything else."""
        if not _DURATION_RE.match(text):
            raise ValueError(
                f"{text!r} is not a duration: write a whole number followed by y, m or d "
                "(for example 2y, 6m, 30d)"
            )
        amount, unit = int(text[:-1]), text[-1]
        if unit == "y":
            return cls(amount * 12, "m")
        return cls(amount, "m" if unit == "m" else "d")

    def after(self, start: date) -> date:
        """The date this long after ``start`` (calendar months, clamped to the month's end)."""
        if self.unit == "d":
            return start + timedelta(days=self.amount)
        return add_months(start, self.amount)

    def min_days(self) -> int:
        return _span_days(self)[0]

    def max_days(self) -> int:
        return _span_days(self)[1]

    def at_most(self, other: Duration) -> bool:
        """True when this duration never outlasts ``other``, whatever the start date."""
        if self.unit == other.unit:
            return self.amount <= other.amount
        return self.max_days() <= other.min_days()

    def __str__(self) -> str:
        if self.unit == "m" and self.amount % 12 == 0:
            return f"{self.amount // 12}y"
        return f"{self.amount}{self.unit}"


def add_months(start: date, months: int) -> date:
    """Calendar month arithmetic: 31 Jan + 1 month = 28/29 Feb."""
    index = start.year * 12 + (start.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(start.day, last))


@cache
def _span_days(duration: Duration) -> tuple[int, int]:
    spans = [(duration.after(s) - s).days for s in _REFERENCE_STARTS]
    return min(spans), max(spans)


def _parse_duration(value: object) -> object:
    if isinstance(value, Duration):
        return value
    if isinstance(value, str):
        return Duration.parse(value.strip())
    raise ValueError("a duration is a string such as 2y, 6m or 30d")


PolicyDuration = Annotated[
    Duration,
    BeforeValidator(_parse_duration),
    PlainSerializer(str, return_type=str),
    WithJsonSchema({"type": "string", "pattern": DURATION_PATTERN}),
]
"""A :class:`Duration` as written in a policy file."""
