"""The report of a run, in Markdown or HTML: wrongful sanctions first, then intended effects,
due process and disparate impact, each total with its 95% interval over replicate seeds."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
from markdown_it import MarkdownIt

from socialcredit.sim.lab.charts import line_chart
from socialcredit.sim.lab.stats import Estimate, estimate

WRONGFUL = (
    ("ever_wrongly_listed", "subjects ever wrongly listed"),
    ("wrongly_listed", "subjects wrongly listed at the end"),
    ("wrongly_restricted", "subjects wrongly restricted at the end"),
    ("wrongful_restriction_days", "person-days under a wrongful restriction"),
    ("erroneous_filed", "erroneous records filed under a subject"),
    ("corrected", "erroneous records corrected on objection"),
    ("days_to_correction_mean", "days from error to correction (mean)"),
    ("days_to_correction_median", "days from error to correction (median)"),
    ("missed_listed", "genuine listings missing at the end (lost or unnotified records)"),
)
INTENDED = (
    ("listed", "subjects on a black list at the end"),
    ("listed_true", "subjects the genuine records would list at the end"),
    ("ever_listed", "subjects ever listed"),
    ("entries", "entries onto black lists"),
    ("exits", "exits from black lists"),
    ("red_listed", "subjects on a red list at the end"),
    ("new_records", "new records (genuine conduct)"),
    ("deterred", "records deterred (expected, from the deterrence multiplier)"),
)
DUE_PROCESS = (
    ("objections", "objections filed"),
    ("objections_late", "objections decided after the deadline or never (record suspended)"),
    ("review_wait_days_mean", "days an objection waits for a reviewer (mean)"),
    ("repair_applications", "credit repair applications filed"),
    ("repairs_granted", "repair applications granted"),
    ("repairs_refused", "repair applications refused"),
    ("repairs_late", "repair applications decided after the deadline or never (counted only)"),
    ("repair_days_to_exit_mean", "days from a repair application to its grant (mean)"),
)


def _table(header: Sequence[str], body: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return [*lines, ""]


def _estimate(summary: dict[str, Any], name: str) -> Estimate:
    found = summary["totals"].get(name)
    if found is None or found["mean"] is None:
        return Estimate(float("nan"), None, None, 0)
    return Estimate(found["mean"], found["low"], found["high"], found["n"])


def _measures(summary: dict[str, Any], rows: Sequence[tuple[str, str]]) -> list[str]:
    return _table(
        ["measure", "mean [95% CI]"], [(t, _estimate(summary, n).render()) for n, t in rows]
    )


def _services(summary: dict[str, Any]) -> list[str]:
    services = sorted(n.split(":", 1)[1] for n in summary["totals"] if n.startswith("attempts:"))
    body = [
        [s]
        + [
            _estimate(summary, f"{kind}:{s}").render(0)
            for kind in (
                "attempts",
                "denied",
                "wrongly_denied",
                "benefits",
                "benefits_withheld",
                "benefits_wrongly_granted",
            )
        ]
        for s in services
    ]
    header = ["service", "attempts", "denied", "wrongly denied", "benefits", "wrongly withheld"]
    header.append("wrongly granted")
    return _table(header, body)


def _rate(rows: list[dict[str, Any]], key: str) -> Estimate:
    return estimate([1000 * r[key] / r["subjects"] for r in rows if r["subjects"]])


def _relative(rows: list[dict[str, Any]], overall: dict[tuple[str, int], float]) -> Estimate:
    """The group's listing rate over the whole population's, per replicate."""
    return estimate(
        [
            r["ever_listed"] / r["subjects"] / overall[(r["dimension"], r["replicate"])]
            for r in rows
            if r["subjects"] and overall[(r["dimension"], r["replicate"])] > 0
        ]
    )


def _disparate(groups: pa.Table) -> list[str]:
    by: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    totals: dict[tuple[str, int], list[int]] = defaultdict(lambda: [0, 0])
    for row in groups.to_pylist():
        by[(row["dimension"], row["group"])].append(row)
        total = totals[(row["dimension"], row["replicate"])]
        total[0] += row["ever_listed"]
        total[1] += row["subjects"]
    overall = {key: listed / max(subjects, 1) for key, (listed, subjects) in totals.items()}
    lines: list[str] = []
    for dimension in dict.fromkeys(d for d, _g in by):
        body = [
            [
                group,
                f"{rows[0]['subjects']:,}",
                _rate(rows, "ever_listed").render(2),
                _relative(rows, overall).render(2),
                _rate(rows, "ever_wrongly_listed").render(2),
                _rate(rows, "wrongful_restriction_days").render(0),
            ]
            for (d, group), rows in sorted(by.items())
            if d == dimension
        ]
        header = [
            "group",
            "subjects",
            "ever listed /1000",
            "listed vs all",
            "wrongly listed /1000",
            "wrong days /1000",
        ]
        lines += [f"### By {dimension.replace('_', ' ')}", "", *_table(header, body)]
    return lines


def render_markdown(summary: dict[str, Any], groups: pa.Table, charts: list[Path]) -> str:
    s = summary
    lines = [
        f"# Simulation report: {s['scenario']['title']}",
        "",
        f"Scenario `{s['scenario']['id']}` ({s['scenario']['file']}), seed {s['seed']}, "
        f"{s['horizon_months']} months from {s['start']}, {s['replicates']} replicate(s) of "
        f"{s['population']['persons']:,} persons and {s['population']['organisations']:,} "
        "organisations. Intervals are 95% Student t intervals over replicate seeds.",
        "",
        "## Wrongful sanctions (ground truth)",
        "",
        *_measures(s, WRONGFUL),
        "## Services",
        "",
        *_services(s),
        "## Intended effects",
        "",
        *_measures(s, INTENDED),
        "## Due process",
        "",
        *_measures(s, DUE_PROCESS),
        "## Disparate impact",
        "",
        "Rates per 1,000 subjects of each group over the whole horizon; *listed vs all* is the "
        "group's listing rate over the whole population's (1: no difference). Subjects are "
        "those of the first replicate (each replicate draws its own population).",
        "",
        *_disparate(groups),
    ]
    if charts:
        lines += ["## Charts", ""] + [f"![{c.stem}](charts/{c.name})" for c in charts] + [""]
    return "\n".join(lines)


def _charts(series: pa.Table, out: Path) -> list[Path]:
    charts = out / "charts"
    return [
        line_chart(
            series,
            ["listed", "listed_true", "wrongly_listed", "missed_listed"],
            "Black-list members: as filed, as the genuine records would have it, wrongly",
            charts / "listed.png",
        ),
        line_chart(
            series, ["entries", "exits"], "Entries and exits per month", charts / "flows.png"
        ),
    ]


def write_report(
    summary: dict[str, Any], series: pa.Table, groups: pa.Table, out: Path, fmt: str, charts: bool
) -> Path:
    drawn = _charts(series, out) if charts else []
    text = render_markdown(summary, groups, drawn)
    if fmt == "html":
        body = MarkdownIt("commonmark").enable("table").render(text)
        title = html.escape(summary["scenario"]["title"])
        head = f'<head><meta charset="utf-8"><title>{title}</title></head>'
        text = f"<!doctype html>\n<html>{head}\n<body>\n{body}</body></html>\n"
    path = out / f"report.{fmt}"
    path.write_text(text, encoding="utf-8")
    return path
