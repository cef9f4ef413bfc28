"""The Markdown report of a policy impact run: what moves, where, and the files behind it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

from socialcredit.batch.impact import figures
from socialcredit.batch.impact.figures import DecisionShift, ListFlow, Matrix
from socialcredit.batch.summary import Summary
from socialcredit.policy import PolicySet

TABLE_NOTES = {
    "population.csv": "subjects compared, by kind, region and sector",
    "grade_transitions.csv": "subjects by model, old grade, new grade, kind, region, sector",
    "list_changes.csv": "subject-list pairs entered, exited or stayed, by kind, region, sector",
    "decision_changes.csv": "subject-service pairs by old and new effect (allow when absent)",
    "rejected.csv": "rows each side refused, by reason",
}


@dataclass(frozen=True)
class ReportInput:
    """Everything the report shows."""

    old: PolicySet
    new: PolicySet
    summaries: tuple[Summary, Summary]
    tables: dict[str, pa.Table]
    records: Path
    subjects: Path | None
    as_of: date
    charts: dict[str, Path]


def _table(header: Sequence[str], body: Sequence[Sequence[object]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in body]
    return [*lines, ""]


def _cell(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value).replace("|", "\\|")


def _versions(policies: PolicySet) -> str:
    return ", ".join(f"{p.id} {p.version} (`{p.sha256[:12]}`)" for p in policies.policies)


def _compared(tables: dict[str, pa.Table]) -> int:
    return sum(int(n) for n in tables["population"].column("subjects").to_pylist())


def _header(data: ReportInput) -> list[str]:
    old, new = data.summaries
    attrs = f"`{data.subjects}`" if data.subjects else "none given: region and sector unknown"
    return [
        "# Policy impact report",
        "",
        f"Assessed on {data.as_of.isoformat()} over the records in `{data.records}`; "
        f"subject attributes: {attrs}.",
        "",
        *_table(
            ("", "old", "new"),
            [
                ("policies", _versions(data.old), _versions(data.new)),
                ("rows in", old.rows_in, new.rows_in),
                ("rows refused", old.rejected, new.rejected),
                ("subjects with a valid record", old.subjects, new.subjects),
            ],
        ),
        f"Subjects compared: {_compared(data.tables):,}: every subject with a valid record "
        "under either side, and every subject of the attribute table with a kind; a subject "
        "without a valid record on a side is assessed there as one with no records (the "
        "engine's assessment of its kind).",
        "",
    ]


def _grades(matrices: list[Matrix], charts: dict[str, Path]) -> list[str]:
    lines = ["## Grades", ""]
    for m in matrices:
        lines += [f"### {m.model}", "", f"![grade transitions]({charts[m.model].name})", ""]
        lines += [f"{m.changed:,} of {m.total:,} subjects change grade.", ""]
        body = [[old, *(m.counts[(old, new)] for new in m.new_grades)] for old in m.old_grades]
        lines += _table(["old \\ new", *m.new_grades], body)
    return lines


def _lists(flows: list[ListFlow], charts: dict[str, Path]) -> list[str]:
    lines = ["## Lists", ""]
    if "lists" in charts:
        lines += [f"![list entries and exits]({charts['lists'].name})", ""]
    body = [(f.list, f.entered, f.exited, f.stayed) for f in flows]
    return lines + (
        _table(("list", "entered", "exited", "stayed"), body) if body else ["None.", ""]
    )


def _decisions(shifts: list[DecisionShift], charts: dict[str, Path]) -> list[str]:
    lines = ["## Decisions that change", ""]
    if "decisions" in charts:
        lines += [f"![decisions that change]({charts['decisions'].name})", ""]
    body = [(s.service, s.old_effect, s.new_effect, s.subjects) for s in shifts]
    if not body:
        return [*lines, "No decision changes at any service.", ""]
    return lines + _table(("service", "old", "new", "subjects"), body)


def _breakdown(tables: dict[str, pa.Table], key: str) -> list[str]:
    population = figures.counts_by(figures.rows(tables["population"]), (key,))
    columns = (
        figures.counts_by(figures.rows(tables["grade_transitions"], figures.changed_grade), (key,)),
        figures.counts_by(
            figures.rows(tables["list_changes"], lambda r: r["change"] == "entered"), (key,)
        ),
        figures.counts_by(
            figures.rows(tables["list_changes"], lambda r: r["change"] == "exited"), (key,)
        ),
        figures.counts_by(
            figures.rows(tables["decision_changes"], figures.changed_decision), (key,)
        ),
    )
    body = [
        (group[0], n, *(column[group] for column in columns))
        for group, n in sorted(population.items(), key=lambda kv: (-kv[1], kv[0]))
    ]
    header = (key, "subjects", "grade changes", "list entries", "list exits", "decision changes")
    return [f"### By {key}", "", *_table(header, body)]


def _rejected(table: pa.Table) -> list[str]:
    lines = ["## Rows refused", ""]
    body = [(r["side"], r["reasons"], r["rows"]) for r in table.to_pylist()]
    if not body:
        return [*lines, "None: every row was valid under both policy sets.", ""]
    return lines + _table(("side", "reasons", "rows"), body)


def render(data: ReportInput) -> str:
    """The whole report as Markdown."""
    tables = data.tables
    lines = _header(data)
    lines += _grades(figures.matrices(tables["grade_transitions"], data.old, data.new), data.charts)
    lines += _lists(figures.list_flows(tables["list_changes"]), data.charts)
    lines += _decisions(figures.decision_shifts(tables["decision_changes"]), data.charts)
    lines += [
        "## Breakdown",
        "",
        "Grade changes count subject-model pairs; list entries and "
        "exits subject-list pairs; decision changes subject-service pairs.",
        "",
    ]
    for key in figures.BREAKDOWNS:
        lines += _breakdown(tables, key)
    lines += _rejected(tables["rejected"])
    lines += ["## Tables", "", *(f"- `{name}`: {note}" for name, note in TABLE_NOTES.items())]
    lines += ["- `old/`, `new/`: each side's batch output (as `socialcredit batch assess`)", ""]
    return "\n".join(lines)
