"""The scorecards of the loaded policies as constant tables (``batch.cardsql`` joins them).

Which items each characteristic selects is decided here once, by the engine's own rule
(:func:`socialcredit.engine.scorecard.selects`), so the SQL never restates a selection.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from socialcredit.engine.scorecard import month_edges, selects
from socialcredit.policy import PolicySet
from socialcredit.policy.durations import Duration
from socialcredit.policy.models import ScoreModel


def _months_days(duration: Duration | None) -> tuple[int | None, int | None]:
    if duration is None:
        return None, None
    return (duration.amount, 0) if duration.unit == "m" else (0, duration.amount)


def _table(rows: list[dict[str, object]], fields: list[tuple[str, pa.DataType]]) -> pa.Table:
    return pa.Table.from_pylist(rows, pa.schema(fields))


@dataclass
class _Rows:
    models: list[dict[str, object]] = field(default_factory=list)
    chars: list[dict[str, object]] = field(default_factory=list)
    chosen: list[dict[str, object]] = field(default_factory=list)
    bins: list[dict[str, object]] = field(default_factory=list)
    edges: set[tuple[str, str, int]] = field(default_factory=set)


def _add_card(rows: _Rows, policies: PolicySet, model_id: str, model: ScoreModel) -> None:
    card = model.scorecard
    if card is None:
        return
    kinds = model.subject_kinds
    rows.models.append(
        {"model": model_id, "base": model.base, "vmin": model.min, "vmax": model.max}
        | {"for_person": "person" in kinds, "for_org": "organisation" in kinds}
    )
    for ch in card.characteristics:
        months, days = _months_days(ch.window)
        key: dict[str, object] = {"model": model_id, "char_id": ch.id}
        rows.chars.append(key | {"kind": ch.kind, "win_months": months, "win_days": days})
        rows.chosen.extend(
            key | {"item": code}
            for code, item in sorted(policies.items.items())
            if selects(ch.records, item)
        )
        rows.bins.extend(
            key | {"lo": b.at_least, "hi": b.below, "missing": b.missing, "points": b.points}
            for b in ch.bins
        )
        rows.edges |= {(model_id, ch.id, edge) for edge in month_edges(ch)}


def card_tables(policies: PolicySet) -> dict[str, pa.Table]:
    """``c_card_models``, ``c_card_chars``, ``c_card_select``, ``c_card_bins``, ``c_card_edges``."""
    rows = _Rows()
    for model_id, model in sorted(policies.models.items()):
        _add_card(rows, policies, model_id, model)
    key_fields = [("model", pa.string()), ("char_id", pa.string())]
    limits = [("base", pa.int64()), ("vmin", pa.int64()), ("vmax", pa.int64())]
    kinds = [("for_person", pa.bool_()), ("for_org", pa.bool_())]
    window = [("kind", pa.string()), ("win_months", pa.int32()), ("win_days", pa.int32())]
    bounds = [("lo", pa.int64()), ("hi", pa.int64()), ("missing", pa.bool_())]
    edges = [{"model": m, "char_id": c, "edge": e} for m, c, e in sorted(rows.edges)]
    return {
        "c_card_models": _table(rows.models, [("model", pa.string()), *limits, *kinds]),
        "c_card_chars": _table(rows.chars, [*key_fields, *window]),
        "c_card_select": _table(rows.chosen, [*key_fields, ("item", pa.string())]),
        "c_card_bins": _table(rows.bins, [*key_fields, *bounds, ("points", pa.int64())]),
        "c_card_edges": _table(edges, [*key_fields, ("edge", pa.int32())]),
    }
