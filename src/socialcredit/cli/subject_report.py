"""Readable rendering of a stored assessment (its JSON form) and of one decision."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from socialcredit.cli.report import EFFECT_STYLE


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", title_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def reason_text(reason: dict[str, Any]) -> str:
    trigger = reason.get("list") or f"{reason.get('score_model')} grade {reason.get('grade')}"
    return (
        f"{reason['effect']} by {reason['measure']} (memorandum {reason['memorandum']}), because "
        f"of {trigger}. Legal basis: {reason['legal_basis']}. Agency: {reason['agency']}. "
        f"Why: {reason['nexus']}"
    )


def remedy_lines(remedy: dict[str, Any]) -> list[str]:
    until = remedy.get("until") or "an exit condition is met"
    return [
        f"{remedy['list']} (listed until {until}). Exit: " + "; ".join(remedy["exit"]) + ".",
        f"  Repair (decided within {remedy['repair_decision_days']} days): {remedy['repair']}",
        *(f"  Object: {line}." for line in remedy.get("objection", [])),
    ]


def render_decision(decision: dict[str, Any], console: Console) -> None:
    for reason in decision["reasons"]:
        console.print(Text("- " + reason_text(reason)))
    if decision["remedies"]:
        console.print(Text("The way out", style="bold"))
    for remedy in decision["remedies"]:
        for line in remedy_lines(remedy):
            console.print(Text(line))


def render_assessment_body(body: dict[str, Any], console: Console) -> None:
    """Scores with contributions, lists and every decision that is not ``allow``."""
    for model, score in body["scores"].items():
        if not score["contributions"]:
            line = f"Score {model}: {score['value']} (grade {score['grade']}): no record counts."
            console.print(Text(line, style="bold"))
            continue
        table = _table(
            f"Score {model}: {score['value']} (grade {score['grade']})", "record", "item", "points"
        )
        for c in score["contributions"]:
            table.add_row(c["record"], c["item"], f"{c['points']:+d}")
        console.print(table)
    lists = _table("Lists", "list", "kind", "since", "until", "records")
    for m in body["lists"]:
        lists.add_row(
            m["list"], m["kind"], m["since"] or "-", m["until"] or "open", ", ".join(m["records"])
        )
    console.print(lists if body["lists"] else Text("Lists: not on any list.", style="dim"))
    decisions = _table("Decisions", "service", "effect")
    for service, d in body["decisions"].items():
        decisions.add_row(service, Text(d["effect"], style=EFFECT_STYLE.get(d["effect"], "")))
    console.print(decisions)
    remedies: dict[str, dict[str, Any]] = {}
    for service, d in body["decisions"].items():
        for reason in d["reasons"]:
            console.print(Text(f"- {service}: " + reason_text(reason)))
        remedies.update({r["list"]: r for r in d["remedies"]})
    if remedies:
        console.print(Text("The way out", style="bold"))
    for remedy in remedies.values():
        for line in remedy_lines(remedy):
            console.print(Text(line))
