"""Readable rendering of a stored assessment (its JSON form) and of one decision."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.text import Text

from socialcredit.cli.report import (
    EFFECT_STYLE,
    print_card,
    print_way_out,
    titled_table,
    trigger,
)


def reason_text(reason: dict[str, Any]) -> str:
    return (
        f"{reason['effect']} by {reason['measure']} (memorandum {reason['memorandum']}), because "
        f"of {trigger(reason)}. Legal basis: {reason['legal_basis']}. Agency: {reason['agency']}. "
        f"Why: {reason['nexus']}"
    )


def render_decision(decision: Mapping[str, Any], console: Console) -> None:
    for reason in decision["reasons"]:
        console.print(Text("- " + reason_text(reason)))
    print_way_out(decision["remedies"], console)


def render_assessment_body(body: dict[str, Any], console: Console) -> None:
    """Scores with contributions, lists and every decision that is not ``allow``."""
    for model, score in body["scores"].items():
        if "characteristics" in score:
            print_card(f"Score {model}: {score['value']} (grade {score['grade']})", score, console)
            continue
        if not score["contributions"]:
            line = f"Score {model}: {score['value']} (grade {score['grade']}): no record counts."
            console.print(Text(line, style="bold"))
            continue
        table = titled_table(
            f"Score {model}: {score['value']} (grade {score['grade']})", "record", "item", "points"
        )
        for c in score["contributions"]:
            table.add_row(c["record"], c["item"], f"{c['points']:+d}")
        console.print(table)
    lists = titled_table("Lists", "list", "kind", "since", "until", "records")
    for m in body["lists"]:
        lists.add_row(
            m["list"], m["kind"], m["since"] or "-", m["until"] or "open", ", ".join(m["records"])
        )
    console.print(lists if body["lists"] else Text("Lists: not on any list.", style="dim"))
    decisions = titled_table("Decisions", "service", "effect")
    for service, d in body["decisions"].items():
        decisions.add_row(service, Text(d["effect"], style=EFFECT_STYLE.get(d["effect"], "")))
    console.print(decisions)
    remedies: dict[str, dict[str, Any]] = {}
    for service, d in body["decisions"].items():
        for reason in d["reasons"]:
            console.print(Text(f"- {service}: " + reason_text(reason)))
        remedies.update({r["list"]: r for r in d["remedies"]})
    print_way_out(list(remedies.values()), console)
