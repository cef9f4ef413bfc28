"""The readable (Rich) report of an assessment, laid out to stay legible at 80 columns.

Short tables for scores, lists, decisions and records; reasons and the way out of each
restriction follow as wrapped text, so that nothing is folded mid-word.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from socialcredit.engine import Assessment
from socialcredit.engine.intervals import render

EFFECT_STYLE = {"deny": "bold red", "restrict": "yellow", "benefit": "green", "allow": "dim"}


def titled_table(title: str, *columns: str) -> Table:
    """A table titled at its left, whose cells fold rather than cut long text."""
    table = Table(title=title, title_justify="left", title_style="bold")
    for column in columns:
        table.add_column(column, overflow="fold")
    return table


def print_card(title: str, score: dict[str, Any], console: Console) -> None:
    """A scorecard's characteristics (value, bin, points) and the reasons it is not higher."""
    table = titled_table(title, "characteristic", "value", "bin", "points")
    for c in score["characteristics"]:
        value = "missing" if c["value"] is None else str(c["value"])
        table.add_row(c["id"], value, c["bin"], f"{c['points']:+d}")
    console.print(table)
    if not score["reasons"]:
        console.print(Text("Every characteristic is in its best bin.", style="dim"))
    for r in score["reasons"]:
        line = f"- Not higher because: {r['reason']} ({r['code']}, {r['points_short']} points)"
        console.print(Text(line))


def _scores(assessment: Assessment, console: Console) -> None:
    bodies = assessment.to_dict()["scores"] if any(s.card for s in assessment.scores) else {}
    for score in assessment.scores:
        title = f"Score {score.model}: {score.value} (grade {score.grade})"
        if score.card is not None:
            print_card(title, bodies[score.model], console)
            continue
        if not score.contributions:
            console.print(Text(title + ": no record counts, the base applies.", style="bold"))
            continue
        table = titled_table(title, "record", "item", "points")
        for c in score.contributions:
            table.add_row(c.record, c.item, f"{c.points:+d}")
        console.print(table)


def _lists(assessment: Assessment, console: Console) -> None:
    if not assessment.lists:
        console.print(Text("Lists: not on any list.", style="dim"))
        return
    table = titled_table("Lists", "list", "kind", "since", "until", "records")
    for m in assessment.lists:
        since, until = render(m.since) or "-", render(m.until) or "open"
        table.add_row(m.list, m.kind, since, until, ", ".join(m.records))
    console.print(table)
    console.print(Text("until is the first day off the list.", style="dim"))


def trigger(reason: dict[str, Any]) -> str:
    link = reason.get("link")
    if link:
        return f"{reason['list']} of {reason['organisation']} (link {link['id']}, {link['role']})"
    if "list" in reason:
        return str(reason["list"])
    return f"{reason['score_model']} grade {reason['grade']}"


def _measure_text(reason: dict[str, Any], services: list[str]) -> str:
    return (
        f"{reason['measure']} ({reason['effect']} at {', '.join(services)}; "
        f"memorandum {reason['memorandum']}, because of {trigger(reason)}). "
        f"Legal basis: {reason['legal_basis']}. Agency: {reason['agency']}. "
        f"Why: {reason['nexus']}"
    )


def remedy_lines(remedy: dict[str, Any]) -> list[str]:
    """The way out of one list: exit, repair and objection (also for stored JSON bodies)."""
    until = remedy.get("until") or "an exit condition is met"
    if remedy.get("link"):
        return [
            f"{remedy['list']}, through link {remedy['link']} to {remedy['organisation']} "
            f"(until {until}). The organisation's exit: " + "; ".join(remedy["exit"]) + ".",
            *(f"  Object: {line}." for line in remedy.get("objection", [])),
        ]
    return [
        f"{remedy['list']} (listed until {until}). Exit: " + "; ".join(remedy["exit"]) + ".",
        f"  Repair (decided within {remedy['repair_decision_days']} days): {remedy['repair']}",
        *(f"  Object: {line}." for line in remedy.get("objection", [])),
    ]


def print_way_out(remedies: list[dict[str, Any]], console: Console) -> None:
    """Print "The way out" and each remedy's lines; nothing when there is no remedy."""
    if not remedies:
        return
    console.print(Text("The way out", style="bold"))
    for remedy in remedies:
        for line in remedy_lines(remedy):
            console.print(Text(line))


def _decisions(assessment: Assessment, console: Console) -> None:
    table = titled_table("Decisions", "service", "effect", "because of")
    measures: dict[str, tuple[dict[str, Any], list[str]]] = {}
    remedies: dict[str, dict[str, Any]] = {}
    for d in assessment.decisions:
        because = ", ".join(sorted({trigger(r) for r in d.reasons})) or "-"
        table.add_row(d.service, Text(d.effect, style=EFFECT_STYLE[d.effect]), because)
        for reason in d.reasons:
            measures.setdefault(reason["measure"], (reason, []))[1].append(d.service)
        remedies.update({f"{r['list']} {r.get('link') or ''}": r for r in d.remedies})
    console.print(table)
    if measures:
        console.print(Text("Measures in force", style="bold"))
        for reason, services in measures.values():
            console.print(Text("- " + _measure_text(reason, services)))
    print_way_out(list(remedies.values()), console)


def _records(assessment: Assessment, console: Console) -> None:
    if not assessment.records:
        return
    table = titled_table("Records", "record", "item", "status", "effective", "counts until")
    for r in assessment.records:
        table.add_row(
            r.record, r.item, r.status, r.effective_from.isoformat(), r.counts_until.isoformat()
        )
    console.print(table)


def render_assessment(assessment: Assessment, console: Console) -> None:
    title = f"{assessment.subject} ({assessment.subject_kind}) as of {assessment.as_of}"
    console.print(Rule(title))
    versions = ", ".join(f"{p.id} {p.version}" for p in assessment.policies)
    console.print(Text(f"Policies: {versions}", style="dim"))
    _scores(assessment, console)
    _lists(assessment, console)
    _decisions(assessment, console)
    _records(assessment, console)
    _links(assessment, console)


def _links(assessment: Assessment, console: Console) -> None:
    if not assessment.links:
        return
    table = titled_table("Links", "link", "organisation", "role", "status", "from", "ends")
    for k in assessment.links:
        ends = render(k.ends_on) or "open"
        table.add_row(k.link, k.organisation, k.role, k.status, k.valid_from.isoformat(), ends)
    console.print(table)
    for k in assessment.links:
        if k.protection:
            console.print(Text(f"Link {k.link}: {k.protection}.", style="dim"))
