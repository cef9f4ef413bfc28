"""The model card of a scorecard, for ``policy check --explain``: its scaling, and for every
characteristic what it computes, its bins and points, and its share of the score's spread (the
points it can move the score by, over the sum of every characteristic's)."""

from __future__ import annotations

from collections.abc import Iterator

from socialcredit.policy.models import ScoreModel
from socialcredit.policy.scorecard_models import Characteristic, Selection


def _selection(selection: Selection) -> str:
    parts = [
        f"{key} {', '.join(values)}"
        for key, values in (
            ("items", selection.items),
            ("bases", selection.bases),
            ("categories", selection.categories),
        )
        if values
    ]
    polarity = "" if selection.polarity is None else f"{selection.polarity} "
    if not parts:
        return f"every {polarity}record"
    return "; ".join(parts) + (f" ({polarity}only)" if polarity else "")


def spread(ch: Characteristic) -> int:
    """The points this characteristic can move the score by."""
    return ch.max_points() - ch.min_points()


def explain_scorecard(model: ScoreModel) -> Iterator[str]:
    card = model.scorecard
    if card is None:
        return
    scaling = card.scaling
    yield (
        f"  scorecard {model.id}: base {model.base}, published range {model.min}..{model.max}; "
        f"at {scaling.score} the odds are {scaling.odds:g} to 1 and every {scaling.pdo} points "
        "double them"
    )
    total = sum(spread(ch) for ch in card.characteristics) or 1
    for ch in card.characteristics:
        window = f", within {ch.window}" if ch.window is not None else ""
        yield (
            f"    {ch.id}: {ch.kind} of {_selection(ch.records)}{window}; "
            f"monotonic {ch.monotonic}; points {ch.min_points()}..{ch.max_points()}, "
            f"{100 * spread(ch) / total:.1f}% of the spread"
        )
        yield "      bins: " + " | ".join(f"{b.label()}: {b.points:+d}" for b in ch.bins)
        yield f"      reason when low: {ch.reason}"
