"""Hypothesis strategies: random policies within the format (and its safeguards), as YAML data.

Items with random points, polarity, severity, notice, counts_for and on_resolution, resting on
base entries (negative: an administrative penalty, positive: an honour); one or two score models
with contiguous grade bands, some of them scorecards (random characteristics, selections, bins
and points, the range inside what the bins reach); black and watch lists entered through
negative items with terms no longer than the items count; red lists by positive items and/or a
score condition, excluded by black or watch lists; memoranda with deny/restrict measures on
black/watch lists and benefits on red lists or scores, each resting on a base measure those
entries trigger. Some policies also have a court bundle: an item resting on the courts'
defaulter entry, a black list it enters and a memorandum whose high-consumption measures reach
persons linked to a listed organisation in a drawn subset of the roles (principle 7), so that
the equality tests exercise links.
"""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

from socialcredit.policy.durations import Duration

#: id, base service, sector
SERVICES = [
    ("svc-a", "public-procurement-bid", "public_procurement"),
    ("svc-b", "business-licence-renewal", "government_services"),
    ("svc-c", "reduced-inspections", "market_regulation"),
    ("svc-d", "municipal-services-priority", "government_services"),
]
#: effect -> (base measure, the services it covers)
RESTRICTIONS = {
    "deny": [("BM-PROCUREMENT-EXCLUSION", ["svc-a"])],
    "restrict": [
        ("BM-PROCUREMENT-EXCLUSION", ["svc-a"]),
        ("BM-FULL-EXAMINATION", ["svc-b"]),
        ("BM-ENHANCED-INSPECTION", ["svc-c"]),
    ],
}
BENEFIT = ("BM-FAST-TRACK-SERVICES", ["svc-b", "svc-d"])
COUNTS_FOR = {
    "minor": ["30d", "45d", "3m", "6m", "1y"],
    "general": ["90d", "6m", "1y", "13m", "2y", "3y"],
    "serious": ["6m", "1y", "2y", "3y"],
}
POSITIVE_COUNTS_FOR = {
    "minor": ["30d", "90d", "6m", "1y"],
    "general": ["30d", "90d", "6m", "1y", "2y"],
}
DISCLOSURE = {"minor": "1m", "general": "6m", "serious": "2y"}
TERMS = ["30d", "90d", "6m", "1y", "2y", "until_resolved"]
MAX_DURATIONS = ["6m", "1y", "2y", "5y"]
KINDS = st.sampled_from([["person"], ["organisation"], ["person", "organisation"]])
TEXT = {"legal_basis": "Test Law art. 1", "authority": "Test Authority"}
MEASURE_TEXT = {"legal_basis": "Test Law art. 9", "agency": "Test Agency", "nexus": "Test nexus."}


def _terms_within(max_duration: str, counts_for: str) -> list[str]:
    """The entry terms a list with ``max_duration`` accepts for an item counting ``counts_for``
    (the loader's own comparison: no term outlives the list's cap or the record)."""
    caps = (Duration.parse(max_duration), Duration.parse(counts_for))
    return [
        t
        for t in TERMS
        if t == "until_resolved" or all(Duration.parse(t).at_most(cap) for cap in caps)
    ]


#: scorecard characteristic kind -> (the values its bin edges are drawn from, may be missing)
CARD_KINDS = {
    "count": (st.integers(1, 4), False),
    "months_since_last": (st.integers(1, 30), True),
    "share_performed": (st.integers(1, 100), True),
    "amount_in_arrears": (st.integers(1, 15000), False),
    "tenure_months": (st.integers(1, 30), True),
}
CARD_SELECTIONS: list[dict[str, Any]] = [
    {},
    {"polarity": "negative"},
    {"categories": ["administrative_penalty"]},
    {"bases": ["BC-GOVERNMENT-HONOUR"]},
    {"items": ["IT-0", "IT-1"]},
]


@st.composite
def characteristics(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """One characteristic with contiguous bins, its lowest bin below zero points and its highest
    above (so a model's base lies strictly within what its bins reach) and, when its points
    happen to be ordered, a monotonic claim."""
    kind = draw(st.sampled_from(sorted(CARD_KINDS)))
    values, may_be_missing = CARD_KINDS[kind]
    edges = sorted(draw(st.sets(values, min_size=1, max_size=3)))
    points = draw(st.lists(st.integers(-40, 40), min_size=len(edges) + 1, max_size=len(edges) + 1))
    points[0], points[-1] = min(points[0], -1), max(points[-1], 1)
    bounds: list[int | None] = [None, *edges, None]
    bins: list[dict[str, Any]] = []
    for (low, high), value in zip(itertools.pairwise(bounds), points, strict=True):
        found: dict[str, Any] = {"points": value}
        if low is not None:
            found["at_least"] = low
        if high is not None:
            found["below"] = high
        bins.append(found)
    if may_be_missing:
        bins.append({"missing": True, "points": draw(st.integers(-40, 40))})
    found_char: dict[str, Any] = {
        "id": f"c{index}",
        "title": f"Characteristic {index}",
        "reason": f"Reason {index}",
        "kind": kind,
        "records": draw(st.sampled_from(CARD_SELECTIONS)),
        "bins": bins,
    }
    if points == sorted(points):
        found_char["monotonic"] = "increasing"
    if kind == "count" and draw(st.booleans()):
        found_char["window"] = draw(st.sampled_from(["90d", "6m", "1y"]))
    return found_char


@st.composite
def scorecard_model(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """A scorecard whose published range lies within what its bins reach (clamping included)."""
    chars = [draw(characteristics(j)) for j in range(draw(st.integers(1, 3)))]
    base = draw(st.integers(300, 700))
    low = base + sum(min(b["points"] for b in c["bins"]) for c in chars)
    high = base + sum(max(b["points"] for b in c["bins"]) for c in chars)
    low, high = draw(st.integers(low, base - 1)), draw(st.integers(base + 1, high))
    model = _model_with_grades(draw, index, low, high)
    model["base"] = base
    model["scorecard"] = {
        "scaling": {"score": base, "odds": 20, "pdo": 50},
        "characteristics": chars,
        "reasons_shown": draw(st.integers(1, 3)),
    }
    return model


def _model_with_grades(draw: st.DrawFn, index: int, low: int, high: int) -> dict[str, Any]:
    cuts = sorted(draw(st.sets(st.integers(low + 1, high), min_size=1, max_size=3)))
    bounds = [low, *cuts, high + 1]
    grades = []
    for g, (a, b) in enumerate(itertools.pairwise(bounds)):
        band: dict[str, Any] = {"grade": f"G{g}"}
        if g > 0:
            band["min"] = a
        if g < len(bounds) - 2:
            band["max"] = b - 1
        grades.append(band)
    return {
        "id": f"m{index}",
        "title": f"Model {index}",
        "domain": f"d{index}",
        "subject_kinds": draw(KINDS),
        "min": low,
        "max": high,
        "grades": grades,
    }


@st.composite
def score_models(draw: st.DrawFn) -> list[dict[str, Any]]:
    models = []
    for index in range(draw(st.integers(1, 2))):
        if draw(st.integers(0, 2)) == 0:
            models.append(draw(scorecard_model(index)))
            continue
        low, high = 0, draw(st.integers(50, 200))
        cuts = sorted(draw(st.sets(st.integers(low + 1, high), min_size=1, max_size=3)))
        bounds = [low, *cuts, high + 1]
        grades = []
        for g, (a, b) in enumerate(itertools.pairwise(bounds)):
            band: dict[str, Any] = {"grade": f"G{g}"}
            if g > 0:
                band["min"] = a
            if g < len(bounds) - 2:
                band["max"] = b - 1
            grades.append(band)
        models.append(
            {
                "id": f"m{index}",
                "title": f"Model {index}",
                "domain": f"d{index}",
                "subject_kinds": draw(KINDS),
                "base": draw(st.integers(low, high)),
                "min": low,
                "max": high,
                "grades": grades,
            }
        )
    return models


@st.composite
def items(draw: st.DrawFn, models: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for index in range(draw(st.integers(2, 6))):
        negative = draw(st.booleans()) if index > 1 else index == 0
        severities = sorted(COUNTS_FOR) if negative else ["general", "minor"]
        severity = draw(st.sampled_from(severities))
        counts_for = (COUNTS_FOR if negative else POSITIVE_COUNTS_FOR)[severity]
        points = {
            m["id"]: draw(st.integers(1, 60)) * (-1 if negative else 1)
            for m in models
            if "scorecard" not in m and draw(st.booleans())
        }
        item: dict[str, Any] = {
            "code": f"IT-{index}",
            "base": "BC-ADMIN-PENALTY-REGULATORY" if negative else "BC-GOVERNMENT-HONOUR",
            "title": f"Item {index}",
            "area": "judicial" if negative else "societal",
            "subject_kinds": ["person", "organisation"],
            "category": "administrative_penalty" if negative else "honour_award",
            "polarity": "negative" if negative else "positive",
            "severity": severity,
            "points": points,
            "counts_for": draw(st.sampled_from(counts_for)),
            "disclosure": {"tier": "public", "period": DISCLOSURE[severity]},
            "on_resolution": draw(st.sampled_from(["stop_counting", "keep_counting"])),
            **TEXT,
            "authority_kind": "market_regulator" if negative else "people_government",
        }
        if negative:
            item["notice_days"] = draw(st.integers(1, 20))
        out.append(item)
    return out


def _list(list_id: str, kind: str, max_duration: str, entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": list_id,
        "kind": kind,
        "title": f"List {list_id}",
        "entry": entry,
        "max_duration": max_duration,
        "exit": [{"when": "term_elapsed", "text": "the term ends"}],
        "repair": {"procedure": "Apply to the authority.", "decision_days": 10},
        **TEXT,
    }


@st.composite
def lists(
    draw: st.DrawFn, catalogue: list[dict[str, Any]], models: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    negative = [i["code"] for i in catalogue if i["polarity"] == "negative"]
    positive = [i["code"] for i in catalogue if i["polarity"] == "positive"]
    counts = {i["code"]: i["counts_for"] for i in catalogue}
    out = []
    for index in range(draw(st.integers(1, 2))):
        max_duration = draw(st.sampled_from(MAX_DURATIONS))
        chosen = draw(st.lists(st.sampled_from(negative), min_size=1, max_size=3, unique=True))
        entry = {
            "items": [
                {"item": c, "term": draw(st.sampled_from(_terms_within(max_duration, counts[c])))}
                for c in chosen
            ]
        }
        kind = draw(st.sampled_from(["black", "watch"]))
        out.append(_list(f"{kind}-{index}", kind, max_duration, entry))
    blocking = [lst["id"] for lst in out]
    for index in range(draw(st.integers(0, 2))):
        entry: dict[str, Any] = {}
        max_duration = draw(st.sampled_from(MAX_DURATIONS))
        if positive and draw(st.booleans()):
            code = draw(st.sampled_from(positive))
            terms = _terms_within(max_duration, counts[code])
            entry["items"] = [{"item": code, "term": draw(st.sampled_from(terms))}]
        if "items" not in entry or draw(st.booleans()):
            model = draw(st.sampled_from(models))
            if draw(st.booleans()):
                grades = [g["grade"] for g in model["grades"]]
                entry["score"] = {
                    "model": model["id"],
                    "grades": draw(
                        st.lists(st.sampled_from(grades), min_size=1, max_size=2, unique=True)
                    ),
                }
            else:
                entry["score"] = {
                    "model": model["id"],
                    "min_value": draw(st.integers(model["min"], model["max"])),
                }
        entry["excluded_by"] = draw(st.lists(st.sampled_from(blocking), max_size=2, unique=True))
        out.append(_list(f"red-{index}", "red", max_duration, entry))
    return out


def _measure(
    measure_id: str, base: str, effect: str, services: list[str], kinds: list[str]
) -> dict[str, Any]:
    return {
        "id": measure_id,
        "base": base,
        "services": services,
        "effect": effect,
        "subject_kinds": kinds,
        **MEASURE_TEXT,
    }


@st.composite
def memoranda(
    draw: st.DrawFn, all_lists: list[dict[str, Any]], models: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    out = []
    for lst in all_lists:
        measures = []
        for j in range(draw(st.integers(1, 2))):
            if lst["kind"] == "red":
                effect, (base, pool) = "benefit", BENEFIT
            else:
                effect = draw(st.sampled_from(["deny", "restrict"]))
                base, pool = draw(st.sampled_from(RESTRICTIONS[effect]))
            services = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True))
            measures.append(_measure(f"{lst['id']}-x{j}", base, effect, services, draw(KINDS)))
        out.append(
            {"id": f"memo-{lst['id']}", "title": "Memo", "list": lst["id"], "measures": measures}
        )
    for model in models:
        if not draw(st.booleans()):
            continue
        base, pool = BENEFIT
        grades = [g["grade"] for g in model["grades"]]
        measure = _measure(
            f"{model['id']}-s",
            base,
            "benefit",
            draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True)),
            draw(KINDS),
        )
        score = {
            "model": model["id"],
            "grades": draw(st.lists(st.sampled_from(grades), min_size=1, max_size=2, unique=True)),
        }
        out.append(
            {"id": f"memo-{model['id']}", "title": "Memo", "score": score, "measures": [measure]}
        )
    return out


ROLES = [
    "legal_representative",
    "main_responsible_person",
    "directly_responsible_person",
    "actual_controller",
]
COURT_SERVICES = [
    ("svc-e", "flight-booking", "transport"),
    ("svc-f", "rail-high-speed", "transport"),
]


@st.composite
def court_bundle(draw: st.DrawFn) -> dict[str, Any]:
    """An item on the courts' defaulter entry, its black list and a memorandum reaching roles."""
    severity = draw(st.sampled_from(sorted(COUNTS_FOR)))
    counts_for = draw(st.sampled_from(COUNTS_FOR[severity]))
    item = {
        "code": "IT-C",
        "base": "BC-JUDGMENT-DEFAULTER",
        "title": "Court defaulter",
        "area": "judicial",
        "subject_kinds": ["person", "organisation"],
        "category": "court_judgment",
        "polarity": "negative",
        "severity": severity,
        "points": {},
        "counts_for": counts_for,
        "notice_days": draw(st.integers(1, 20)),
        "disclosure": {"tier": "public", "period": DISCLOSURE[severity]},
        "on_resolution": draw(st.sampled_from(["stop_counting", "keep_counting"])),
        **TEXT,
        "authority_kind": "court",
    }
    max_duration = draw(st.sampled_from(MAX_DURATIONS))
    entry = {
        "items": [
            {"item": "IT-C", "term": draw(st.sampled_from(_terms_within(max_duration, counts_for)))}
        ]
    }
    roles = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=3, unique=True))
    measures = [
        _measure("court-roles", "BM-HIGH-CONSUMPTION", "deny", ["svc-e", "svc-f"], ["organisation"])
        | {"targets": roles},
        _measure("court-own", "BM-HIGH-CONSUMPTION", "deny", ["svc-e"], draw(KINDS)),
    ]
    if draw(st.booleans()):
        other = draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=2, unique=True))
        measures.append(
            _measure("court-more", "BM-HIGH-CONSUMPTION", "restrict", ["svc-f"], ["organisation"])
            | {"targets": other}
        )
    memo = {"id": "memo-court", "title": "Memo", "list": "black-court", "measures": measures}
    return {"item": item, "list": _list("black-court", "black", max_duration, entry), "memo": memo}


@st.composite
def policy_documents(draw: st.DrawFn, court: bool | None = None) -> dict[str, Any]:
    """A random policy; ``court``: with the court bundle (None: drawn)."""
    models = draw(score_models())
    catalogue = draw(items(models))
    all_lists = draw(lists(catalogue, models))
    memos = draw(memoranda(all_lists, models))
    services = SERVICES
    if draw(st.booleans()) if court is None else court:
        bundle = draw(court_bundle())
        catalogue, all_lists = [*catalogue, bundle["item"]], [*all_lists, bundle["list"]]
        memos, services = [*memos, bundle["memo"]], [*SERVICES, *COURT_SERVICES]
    return {
        "policy": {
            "id": "rnd",
            "version": "1",
            "title": "Random policy",
            "authority": "Test Authority",
            "objection_review_days": draw(st.integers(1, 30)),
            "objection_review_in": draw(st.sampled_from(["days", "working_days"])),
        },
        "services": [
            {"id": s, "base": b, "title": f"Service {s}", "domain": d} for s, b, d in services
        ],
        "items": catalogue,
        "score_models": models,
        "lists": all_lists,
        "memoranda": memos,
    }
