"""Sets of half-open date intervals ``[start, end)``, the arithmetic of every engine rule.

``date.min`` stands for "since always" and ``date.max`` for "open-ended"; they are rendered as
``null`` in assessments.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

OPEN_START = date.min
OPEN_END = date.max


@dataclass(frozen=True, order=True, slots=True)
class Interval:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"interval ends before it starts: {self.start}..{self.end}")

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


@dataclass(frozen=True, slots=True)
class IntervalSet:
    """A normalised union of disjoint, non-adjacent, non-empty intervals, sorted."""

    parts: tuple[Interval, ...] = ()

    @classmethod
    def of(cls, intervals: Iterable[Interval]) -> IntervalSet:
        merged: list[Interval] = []
        for part in sorted(i for i in intervals if i.start < i.end):
            if merged and part.start <= merged[-1].end:
                last = merged[-1]
                if part.end > last.end:
                    merged[-1] = Interval(last.start, part.end)
            else:
                merged.append(part)
        return cls(tuple(merged)) if merged else EMPTY

    @classmethod
    def span(cls, start: date, end: date) -> IntervalSet:
        """``[start, end)``; empty when ``end`` is not after ``start``."""
        return cls((Interval(start, end),)) if start < end else EMPTY

    def __bool__(self) -> bool:
        return bool(self.parts)

    def union(self, other: IntervalSet) -> IntervalSet:
        if not other.parts:
            return self
        if not self.parts:
            return other
        return IntervalSet.of(self.parts + other.parts)

    def intersect(self, other: IntervalSet) -> IntervalSet:
        if not self.parts or not other.parts:
            return EMPTY
        out = [
            Interval(max(a.start, b.start), min(a.end, b.end))
            for a in self.parts
            for b in other.parts
            if max(a.start, b.start) < min(a.end, b.end)
        ]
        return IntervalSet.of(out)

    def minus(self, other: IntervalSet) -> IntervalSet:
        if not self.parts or not other.parts:
            return self
        return self.intersect(other.complement())

    def complement(self) -> IntervalSet:
        out: list[Interval] = []
        cursor = OPEN_START
        for part in self.parts:
            if cursor < part.start:
                out.append(Interval(cursor, part.start))
            cursor = part.end
        if cursor < OPEN_END:
            out.append(Interval(cursor, OPEN_END))
        return IntervalSet(tuple(out))

    def overlaps(self, part: Interval) -> bool:
        """Whether some part of this set shares a day with ``part``."""
        return any(p.start < part.end and part.start < p.end for p in self.parts)

    def containing(self, day: date) -> Interval | None:
        """The part that contains ``day``, if any."""
        for p in self.parts:
            if p.start <= day < p.end:
                return p
        return None

    def contains(self, day: date) -> bool:
        return any(p.start <= day < p.end for p in self.parts)

    def boundaries(self) -> set[date]:
        return {d for p in self.parts for d in (p.start, p.end)}


EMPTY = IntervalSet()


def union_all(sets: Iterable[IntervalSet]) -> IntervalSet:
    parts: list[Interval] = []
    for s in sets:
        parts.extend(s.parts)
    return IntervalSet.of(parts)


def render(day: date) -> str | None:
    """ISO date, or ``None`` for the open ends."""
    return None if day in (OPEN_START, OPEN_END) else day.isoformat()
