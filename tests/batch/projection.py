"""A normalised projection of assessments, to compare the batch scorer with the engine.

Per subject: scores (value, grade, contributions), list memberships (kind, since, until,
records), non-``allow`` decisions (effect, reasons as (memorandum, measure, effect, list or
score model, organisation, link), remedies as (list, link)), record states, the records
protected by principle 13 (a minor's), and with links the link states and the organisations'
reaches (link, list: since, until). ``allow`` decisions are implicit in the batch
output (a service without a row), so they are left out of both sides.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from socialcredit.engine import Assessment

Projection = dict[str, Any]


def _iso(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def engine_projection(a: Assessment) -> Projection:
    return dict_projection(a.to_dict())


def dict_projection(data: dict[str, Any]) -> Projection:
    """The projection of ``Assessment.to_dict()`` (or of a golden ``expected.json``)."""
    decisions = {}
    reaches: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for service, d in data["decisions"].items():
        if d["effect"] == "allow":
            continue
        reasons = sorted(
            (
                r["memorandum"],
                r["measure"],
                r["effect"],
                r.get("list") or r.get("score_model"),
                r.get("organisation"),
                r["link"]["id"] if r.get("link") else None,
            )
            for r in d["reasons"]
        )
        for r in d["reasons"]:
            if r.get("link"):
                reaches[(r["link"]["id"], r["list"])] = (r["since"], r["until"])
        decisions[service] = (
            d["effect"],
            tuple(reasons),
            tuple(sorted((m["list"], m.get("link") or "") for m in d["remedies"])),
        )
    return {
        "kind": data["subject_kind"],
        "scores": {
            m: (
                s["value"],
                s["grade"],
                tuple((c["record"], c["item"], c["points"]) for c in s["contributions"]),
            )
            for m, s in data["scores"].items()
        },
        "lists": {
            m["list"]: (m["kind"], m["since"], m["until"], tuple(m["records"]))
            for m in data["lists"]
        },
        "decisions": decisions,
        "records": {
            r["record"]: (r["item"], str(r["status"]), r["effective_from"], r["counts_until"])
            for r in data["records"]
        },
        "protected": sorted(p["record"] for p in data.get("protections", [])),
        "links": {
            k["link"]: (k["organisation"], k["role"], k["status"], k["valid_from"], k["ends_on"])
            for k in data.get("links", [])
        },
        "reaches": reaches,
    }


def _rows(out: Path, table: str) -> list[dict[str, Any]]:
    files = sorted((out / table).glob("*.parquet"))
    return [row for f in files for row in pq.read_table(f).to_pylist()]


def batch_projections(out: Path) -> dict[str, Projection]:
    result: dict[str, Projection] = {}
    for row in _rows(out, "subjects"):
        result[row["subject"]] = {
            "kind": row["kind"],
            "scores": {},
            "lists": {},
            "decisions": {},
            "records": {},
            "protected": [],
            "links": {},
            "reaches": {},
        }
    contributions: dict[tuple[str, str], list[tuple[str, str, int]]] = defaultdict(list)
    for row in _rows(out, "contributions"):
        contributions[(row["subject"], row["model"])].append(
            (row["record"], row["item"], row["points"])
        )
    for row in _rows(out, "scores"):
        key = (row["subject"], row["model"])
        result[row["subject"]]["scores"][row["model"]] = (
            row["value"],
            row["grade"],
            tuple(sorted(contributions[key])),
        )
    members: dict[tuple[str, str], list[str]] = defaultdict(list)
    for row in _rows(out, "list_records"):
        members[(row["subject"], row["list"])].append(row["record"])
    for row in _rows(out, "lists"):
        records = tuple(sorted(members[(row["subject"], row["list"])]))
        result[row["subject"]]["lists"][row["list"]] = (
            row["kind"],
            _iso(row["since"]),
            _iso(row["until"]),
            records,
        )
    reasons: dict[tuple[str, str], list[tuple[Any, ...]]] = defaultdict(list)
    for row in _rows(out, "reasons"):
        reasons[(row["subject"], row["service"])].append(
            (
                row["memorandum"],
                row["measure"],
                row["effect"],
                row["list"] or row["score_model"],
                row.get("organisation"),
                row.get("link"),
            )
        )
    remedies: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for row in _rows(out, "remedies"):
        remedies[(row["subject"], row["service"])].append((row["list"], row.get("link") or ""))
    for row in _rows(out, "decisions"):
        key = (row["subject"], row["service"])
        result[row["subject"]]["decisions"][row["service"]] = (
            row["effect"],
            tuple(sorted(reasons[key])),
            tuple(sorted(remedies[key])),
        )
    for row in _rows(out, "records"):
        if row["minor"]:
            result[row["subject"]]["protected"].append(row["record"])
        result[row["subject"]]["records"][row["record"]] = (
            row["item"],
            row["status"],
            _iso(row["effective_from"]),
            _iso(row["counts_until"]),
        )
    _links(out, result)
    for projection in result.values():
        projection["protected"].sort()
    return result


def _links(out: Path, result: dict[str, Projection]) -> None:
    """The link states and reaches of a run with links (none without)."""
    if not (out / "links").exists():
        return
    for row in _rows(out, "links"):
        result[row["subject"]]["links"][row["link"]] = (
            row["organisation"],
            row["role"],
            row["status"],
            _iso(row["valid_from"]),
            _iso(row["ends_on"]),
        )
    for row in _rows(out, "link_reaches"):
        key = (row["link"], row["list"])
        result[row["subject"]]["reaches"][key] = (_iso(row["since"]), _iso(row["until"]))
