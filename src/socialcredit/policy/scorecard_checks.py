"""Load-time checks on a scorecard (principles 2 and 10, and the shape of a scorecard).

A characteristic computes one of a closed set of quantities from the subject's own counting
records, over items, base entries or categories that exist; a protected matter or a proxy for one
(region, identity-number prefix, age, sex, ethnicity...) cannot be computed and is refused by
principle 2. Bins cover every value exactly once and a missing value where one can occur; points
are monotonic where declared; the published range is reachable. Principle 5 (a score only grants
benefits) is checked on the memoranda and lists that use the score, as for any score model.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

from socialcredit.policy.findings import Finding, breach
from socialcredit.policy.index import PolicyIndex
from socialcredit.policy.models import ScoreModel
from socialcredit.policy.scorecard_models import (
    CHARACTERISTIC_KINDS,
    MAY_BE_MISSING,
    Bin,
    Characteristic,
    Scorecard,
    Selection,
)
from socialcredit.policy.vocabulary import ADMISSIBLE_CATEGORIES
from socialcredit.policy.yamlsource import PathKey

PROTECTED = re.compile(
    r"(?<![a-z])(region|province|city|district|hukou|residence|address|location|birth|born|"
    r"age|ages|aged|sex|gender|ethnic\w*|ethnicity|nationality|minzu|religion|"
    r"id_?prefix|identity|identity_number|id_number|postcode|zip)(?![a-z])"
)
"""Words naming a protected characteristic or a proxy for one, in a characteristic's id,
title or kind (split on ``_``, ``-`` and spaces)."""


def _words(text: str) -> str:
    return re.sub(r"[_\-.]+", " ", text.lower())


def check_score_model(model: ScoreModel, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    card = model.scorecard
    if card is None:
        return
    here: PathKey = (*loc, "scorecard")
    for code, item in sorted(index.items.items()):
        if model.id in item.obj.points:
            yield Finding(
                loc,
                "scorecard",
                f"item {code!r} gives points in scorecard {model.id!r}; a scorecard's points "
                "come from its characteristics' bins only",
            )
    for i, characteristic in enumerate(card.characteristics):
        yield from check_characteristic(characteristic, (*here, "characteristics", i), index)
    ids = [c.id for c in card.characteristics]
    if len(set(ids)) != len(ids):
        yield Finding((*here, "characteristics"), "scorecard", "characteristic ids repeat")
    yield from _range(model, card, here)


def _range(model: ScoreModel, card: Scorecard, loc: PathKey) -> Iterator[Finding]:
    low = model.base + sum(c.min_points() for c in card.characteristics)
    high = model.base + sum(c.max_points() for c in card.characteristics)
    if low > model.min or high < model.max:
        yield Finding(
            loc,
            "scorecard",
            f"scorecard {model.id!r} cannot reach its published range {model.min}..{model.max}: "
            f"base {model.base} plus the bins' points spans {low}..{high}",
        )
    if not model.min <= card.scaling.score <= model.max:
        yield Finding(
            (*loc, "scaling", "score"),
            "scorecard",
            f"the scaling's reference score {card.scaling.score} is outside "
            f"{model.min}..{model.max}",
        )


def check_characteristic(ch: Characteristic, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    what = f"characteristic {ch.id!r}"
    named = " ".join(_words(t) for t in (ch.id, ch.title, ch.kind))
    found = PROTECTED.search(named)
    if found is not None:
        yield breach(
            loc,
            "P2",
            f"{what} is about {found.group(0)!r}, a protected matter or a proxy for one (region "
            "or identity-number prefix, age, sex, ethnicity...): a score is computed only from "
            "the subject's own admissible records",
        )
    elif ch.kind not in CHARACTERISTIC_KINDS:
        yield breach(
            (*loc, "kind"),
            "P2",
            f"{what} computes {ch.kind!r}; a characteristic is one of "
            f"{', '.join(CHARACTERISTIC_KINDS)}, each from the subject's own records",
        )
    yield from _selection(ch.records, (*loc, "records"), index)
    if ch.window is not None and ch.kind != "count":
        yield Finding((*loc, "window"), "scorecard", f"{what}: only a count has a window")
    yield from _bins(ch, loc)


def _selection(sel: Selection, loc: PathKey, index: PolicyIndex) -> Iterator[Finding]:
    tables: tuple[tuple[str, list[str], object], ...] = (
        ("items", sel.items, index.items),
        ("bases", sel.bases, index.base.entries),
        ("categories", sel.categories, ADMISSIBLE_CATEGORIES),
    )
    for key, codes, known in tables:
        for j, code in enumerate(codes):
            if not isinstance(known, dict) or code not in known:
                yield Finding(
                    (*loc, key, j),
                    "xref",
                    f"unknown {key[:-1] if key != 'categories' else 'category'} {code!r}: a "
                    "characteristic counts only catalogue items, base entries or categories",
                )


def _bins(ch: Characteristic, loc: PathKey) -> Iterator[Finding]:
    what = f"characteristic {ch.id!r}"
    missing = [b for b in ch.bins if b.missing]
    ranged = [b for b in ch.bins if not b.missing]
    if ch.kind in MAY_BE_MISSING and len(missing) != 1:
        yield Finding((*loc, "bins"), "bins", f"{what} needs exactly one bin with missing: true")
    if ch.kind not in MAY_BE_MISSING and missing:
        yield Finding((*loc, "bins"), "bins", f"{what} ({ch.kind}) is never missing")
    if any(b.at_least is not None or b.below is not None for b in missing):
        yield Finding((*loc, "bins"), "bins", f"{what}: the missing bin has no bounds")
    problem = _coverage(ranged)
    if problem:
        yield Finding(
            (*loc, "bins"),
            "bins",
            f"{what}: bins must cover every value from 0 up without gap or overlap "
            f"(the first with no at_least or at_least 0, each next at_least the previous "
            f"below, the last with no below); {problem}",
        )
    elif ch.monotonic != "none":
        points = [b.points for b in _ordered(ranged)]
        step = 1 if ch.monotonic == "increasing" else -1
        if any((b - a) * step < 0 for a, b in itertools.pairwise(points)):
            yield Finding(
                (*loc, "bins"),
                "bins",
                f"{what} is declared {ch.monotonic} but its points by bin are {points}",
            )


def _ordered(bins: list[Bin]) -> list[Bin]:
    return sorted(bins, key=lambda b: -1 if b.at_least is None else b.at_least)


def _coverage(bins: list[Bin]) -> str:
    if not bins:
        return "there is no bin for values"
    ordered = _ordered(bins)
    if ordered[0].at_least not in (None, 0):
        return f"the first bin starts at {ordered[0].at_least}"
    for prev, nxt in itertools.pairwise(ordered):
        if prev.below is None or nxt.at_least != prev.below:
            return f"bin {prev.label()!r} is followed by {nxt.label()!r}"
    for b in ordered:
        if b.at_least is not None and b.below is not None and b.below <= b.at_least:
            return f"bin {b.label()!r} is empty"
    if ordered[-1].below is not None:
        return f"no bin holds values from {ordered[-1].below} up"
    return ""
