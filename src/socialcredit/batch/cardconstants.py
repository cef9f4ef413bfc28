"""The scorecards of the loaded policies as constant tables (``batch.cardsql`` joins them).

Which items each characteristic selects is decided here once, by the engine's own rule
(:func:`socialcredit.engine.scorecard.selects`), so the SQL never restates a selection.
"""

from __future__ import annotations

import pyarrow as pa

from socialcredit.engine.scorecard import selects
from socialcredit.policy import PolicySet
from socialcredit.policy.durations import Duration

MONTH_KINDS = ("months_since_last", "tenure_months")


def _months_days(duration: Duration | None) -> tuple[int | None, int | None]:
    if duration is None:
        return None, None
    return (duration.amount, 0) if duration.unit == "m" else (0, duration.amount)


def _table(rows: list[dict[str, object]], fields: list[tuple[str, pa.DataType]]) -> pa.Table:
    return pa.Table.from_pylist(rows, pa.schema(fields))


def card_tables(policies: PolicySet) -> dict[str, pa.Table]:
    """``c_card_models``, ``c_card_chars``, ``c_card_select``, ``c_card_bins``, ``c_card_edges``."""
    models: list[dict[str, object]] = []
    chars: list[dict[str, object]] = []
    chosen: list[dict[str, object]] = []
    bins: list[dict[str, object]] = []
    edges: set[tuple[str, int]] = set()
    for model_id, model in sorted(policies.models.items()):
        card = model.scorecard
        if card is None:
            continue
        kinds = model.subject_kinds
        models.append(
            {"model": model_id, "base": model.base, "vmin": model.min, "vmax": model.max}
            | {"for_person": "person" in kinds, "for_org": "organisation" in kinds}
        )
        for ch in card.characteristics:
            months, days = _months_days(ch.window)
            key: dict[str, object] = {"model": model_id, "char_id": ch.id}
            chars.append(key | {"kind": ch.kind, "win_months": months, "win_days": days})
            chosen.extend(
                key | {"item": code}
                for code, item in sorted(policies.items.items())
                if selects(ch.records, item)
            )
            bins.extend(
                key | {"lo": b.at_least, "hi": b.below, "missing": b.missing, "points": b.points}
                for b in ch.bins
            )
            if ch.kind in MONTH_KINDS:
                edges |= {
                    (model_id, e)
                    for b in ch.bins
                    for e in (b.at_least, b.below)
                    if e is not None and e > 0
                }
    key_fields = [("model", pa.string()), ("char_id", pa.string())]
    return {
        "c_card_models": _table(
            models,
            [
                ("model", pa.string()),
                ("base", pa.int64()),
                ("vmin", pa.int64()),
                ("vmax", pa.int64()),
                ("for_person", pa.bool_()),
                ("for_org", pa.bool_()),
            ],
        ),
        "c_card_chars": _table(
            chars,
            [
                *key_fields,
                ("kind", pa.string()),
                ("win_months", pa.int32()),
                ("win_days", pa.int32()),
            ],
        ),
        "c_card_select": _table(chosen, [*key_fields, ("item", pa.string())]),
        "c_card_bins": _table(
            bins,
            [
                *key_fields,
                ("lo", pa.int64()),
                ("hi", pa.int64()),
                ("missing", pa.bool_()),
                ("points", pa.int64()),
            ],
        ),
        "c_card_edges": _table(
            [{"model": m, "edge": e} for m, e in sorted(edges)],
            [("model", pa.string()), ("edge", pa.int32())],
        ),
    }
