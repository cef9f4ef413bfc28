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


@dataclass(frozen=True, order=True)
class Interval:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"interval ends before it starts: {self.start}..{self.end}")

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


@dataclass(frozen=True)
class IntervalSet:
    """A normalised union of disjoint, non-adjacent, non-empty intervals, sorted."""

    parts: tuple[Interval, ...] = ()

    @classmethod
    def of(cls, intervals: Iterable[Interval]) -> IntervalSet:
        merged: list[Interval] = []
        for part in sorted(i for i in intervals if i.start < i.end):
            if merged and part.start <= merged[-1].end:
                last = merged[-1]
                merged[-1] = Interval(last.start, max(last.end, part.end))
            else:
                merged.append(part)
        return cls(tuple(merged))

    @classmethod
    def span(cls, start: date, end: date) -> IntervalSet:
        return cls.of([Interval(start, max(start, end))])

    def __bool__(self) -> bool:
        return bool(self.parts)

    def union(self, other: IntervalSet) -> IntervalSet:
        return IntervalSet.of(self.parts + other.parts)

    def intersect(self, other: IntervalSet) -> IntervalSet:
        out = [
            Interval(max(a.start, b.start), min(a.end, b.end))
            for a in self.parts
            for b in other.parts
            if max(a.start, b.start) < min(a.end, b.end)
        ]
        return IntervalSet.of(out)

    def minus(self, other: IntervalSet) -> IntervalSet:
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

    def containing(self, day: date) -> Interval | None:
        """The part that contains ``day``, if any."""
        return next((p for p in self.parts if p.contains(day)), None)

    def contains(self, day: date) -> bool:
        return self.containing(day) is not None

    def first_start(self) -> date | None:
        return self.parts[0].start if self.parts else None

    def boundaries(self) -> set[date]:
        return {d for p in self.parts for d in (p.start, p.end)}


def union_all(sets: Iterable[IntervalSet]) -> IntervalSet:
    parts: list[Interval] = []
    for s in sets:
        parts.extend(s.parts)
    return IntervalSet.of(parts)


def render(day: date) -> str | None:
    """ISO date, or ``None`` for the open ends."""
    return None if day in (OPEN_START, OPEN_END) else day.isoformat()
