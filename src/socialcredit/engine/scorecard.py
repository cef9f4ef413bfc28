"""Scorecards: each characteristic's value from the subject's counting records, its bin and
points, the score, its grade, and the reasons it is not higher (docs/semantics.md).

Only records counting on the day are looked at: a record pending its notice, suspended, revoked,
resolved (unless its item keeps counting) or past its term is not there. A characteristic's
value is a whole number, or missing; the score is the model's base plus the points of the bin
each value falls in, clamped to the model's range. A reason is a characteristic whose bin has
fewer points than its best bin; the reasons are ordered by the points they cost (most first,
then in the scorecard's order), and at most ``reasons_shown`` are given.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from math import floor

from socialcredit.engine.compiled import after
from socialcredit.engine.records import Record
from socialcredit.engine.timeline import Timeline
from socialcredit.policy.durations import add_months
from socialcredit.policy.models import Item, ScoreModel
from socialcredit.policy.scorecard_models import Bin, Characteristic, Scorecard, Selection


@dataclass(frozen=True, slots=True)
class Factor:
    """One characteristic of one score: its value, its bin and the points of that bin."""

    characteristic: str
    value: int | None
    bin: str
    points: int
    best: int  # the points of its best bin


@dataclass(frozen=True, slots=True)
class Reason:
    code: str
    text: str
    points_short: int


@dataclass(frozen=True, slots=True)
class CardResult:
    factors: tuple[Factor, ...]
    reasons: tuple[Reason, ...]


def months_between(start: date, day: date) -> int:
    """Whole calendar months from ``start`` to ``day``: the largest n with start + n months
    <= day (0 when ``day`` is before that)."""
    n = (day.year - start.year) * 12 + day.month - start.month
    while n > 0 and add_months(start, n) > day:
        n -= 1
    return max(n, 0)


def selects(selection: Selection, item: Item) -> bool:
    if selection.polarity is not None and item.polarity is not selection.polarity:
        return False
    if not (selection.items or selection.bases or selection.categories):
        return True
    return (
        item.code in selection.items
        or (item.base or "") in selection.bases
        or item.category in selection.categories
    )


def _performed(record: Record, day: date) -> bool:
    return record.resolved_on is not None and record.resolved_on <= day


def value_of(
    ch: Characteristic, items: Mapping[str, Item], timelines: Sequence[Timeline], day: date
) -> int | None:
    """The value of ``ch`` on ``day`` from the records counting then."""
    counting = [t.record for t in timelines if t.counting.contains(day)]
    chosen = [r for r in counting if selects(ch.records, items[r.item])]
    kind = ch.kind
    if kind == "count":
        window = ch.window
        return sum(1 for r in chosen if window is None or after(window, r.decided_on) > day)
    if kind == "amount_in_arrears":
        owed = (r.amount for r in chosen if r.amount is not None and not _performed(r, day))
        return sum(floor(amount) for amount in owed)
    if kind == "share_performed":
        performed = sum(1 for r in chosen if _performed(r, day))
        return (100 * performed) // len(chosen) if chosen else None
    if not chosen:
        return None
    if kind == "months_since_last":
        return months_between(max(r.decided_on for r in chosen), day)
    return months_between(min(r.decided_on for r in chosen), day)  # tenure_months


def bin_of(ch: Characteristic, value: int | None) -> Bin:
    """The bin holding ``value`` (bins are checked to cover every value at load)."""
    for b in ch.bins:
        if b.contains(value):
            return b
    raise ValueError(f"no bin of {ch.id!r} holds {value}")


def card_points(
    card: Scorecard, items: Mapping[str, Item], timelines: Sequence[Timeline], day: date
) -> CardResult:
    """Each characteristic's value on ``day``, its bin and points, and the reasons."""
    values = [value_of(ch, items, timelines, day) for ch in card.characteristics]
    return card_result(card, values)


def card_result(card: Scorecard, values: Sequence[int | None]) -> CardResult:
    """The bins, points and reasons of given characteristic values (in the card's order)."""
    factors = []
    for ch, value in zip(card.characteristics, values, strict=True):
        found = bin_of(ch, value)
        factors.append(Factor(ch.id, value, found.label(), found.points, ch.max_points()))
    return CardResult(tuple(factors), _reasons(card, factors))


def _reasons(card: Scorecard, factors: Sequence[Factor]) -> tuple[Reason, ...]:
    texts = {ch.id: ch.reason for ch in card.characteristics}
    short = [(f.best - f.points, i, f) for i, f in enumerate(factors) if f.best > f.points]
    short.sort(key=lambda entry: (-entry[0], entry[1]))
    return tuple(
        Reason(f.characteristic, texts[f.characteristic], gap)
        for gap, _, f in short[: card.reasons_shown]
    )


def raw_score(model: ScoreModel, result: CardResult) -> int:
    return model.base + sum(f.points for f in result.factors)


def month_edges(ch: Characteristic) -> set[int]:
    """The months at which a months characteristic's value crosses one of its bin edges."""
    if ch.kind not in MONTH_KINDS:
        return set()
    return {
        edge for b in ch.bins for edge in (b.at_least, b.below) if edge is not None and edge > 0
    }


def change_points(
    card: Scorecard, items: Mapping[str, Item], timelines: Iterable[Timeline]
) -> Iterator[date]:
    """Every date a characteristic's value may cross a bin edge: a record that a characteristic
    selects starting or stopping to count or being resolved, a count's window closing after it,
    a months value reaching a bin edge. A record no characteristic selects changes nothing."""
    for t in timelines:
        chosen = [ch for ch in card.characteristics if selects(ch.records, items[t.record.item])]
        if not chosen:
            continue
        decided = t.record.decided_on
        yield from t.counting.boundaries()
        if t.record.resolved_on is not None:
            yield t.record.resolved_on
        for window in {ch.window for ch in chosen if ch.window is not None}:
            yield after(window, decided)
        for edge in sorted(set().union(*(month_edges(ch) for ch in chosen))):
            yield add_months(decided, edge)


MONTH_KINDS = ("months_since_last", "tenure_months")


def value_dates(
    card: Scorecard, items: Mapping[str, Item], timelines: Iterable[Timeline], day: date
) -> Iterator[date]:
    """The next dates after ``day`` on which a months value shown with the score may change
    within its bin: the next monthly anniversary of the decision of every record that a months
    characteristic selects and that counts on or after ``day``."""
    months = [ch for ch in card.characteristics if ch.kind in MONTH_KINDS]
    for t in timelines:
        record = t.record
        if t.stops_on > day and any(selects(ch.records, items[record.item]) for ch in months):
            yield add_months(record.decided_on, months_between(record.decided_on, day) + 1)
