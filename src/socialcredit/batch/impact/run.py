"""``policy_impact``: run both policy sets over the same records and report what changes."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa

from socialcredit.batch.impact import charts, figures
from socialcredit.batch.impact.baseline import baseline_tables
from socialcredit.batch.impact.compare import SideInput, compare
from socialcredit.batch.impact.report import ReportInput, render
from socialcredit.batch.options import BatchOptions
from socialcredit.batch.options import Progress as BatchProgress
from socialcredit.batch.run import assess_dataset
from socialcredit.batch.summary import Summary
from socialcredit.errors import InputError
from socialcredit.policy import PolicySet

Stage = Callable[[str], None]
"""Told the name of each stage as it starts (for a progress display)."""


@dataclass(frozen=True)
class ImpactOptions:
    records: Path
    as_of: date
    out: Path
    subjects: Path | None = None
    """Subject attributes (region or province, sector); default: ``subjects/`` beside
    ``records`` when it exists, as ``socialcredit synth`` writes it."""
    memory_limit: str = "3GB"


@dataclass(frozen=True)
class ImpactResult:
    summaries: tuple[Summary, Summary]
    tables: dict[str, pa.Table]
    report: Path
    charts: dict[str, Path]


def subjects_source(options: ImpactOptions) -> Path | None:
    if options.subjects is not None:
        if not options.subjects.exists():
            raise InputError(f"subjects directory not found: {options.subjects}")
        return options.subjects
    beside = options.records.parent / "subjects"
    return beside if beside.is_dir() and beside != options.records else None


def _fresh_out(out: Path) -> None:
    if out.exists() and any(out.iterdir()):
        raise InputError(
            f"output directory {out} is not empty: choose a new one (nothing is overwritten)",
            {"path": str(out)},
        )
    out.mkdir(parents=True, exist_ok=True)


def _draw(
    tables: dict[str, pa.Table], old: PolicySet, new: PolicySet, out: Path
) -> dict[str, Path]:
    drawn = {
        m.model: charts.grade_chart(m, out / f"grades-{charts.slug(m.model)}.png")
        for m in figures.matrices(tables["grade_transitions"], old, new)
    }
    flows = figures.list_flows(tables["list_changes"])
    if flows:
        drawn["lists"] = charts.list_chart(flows, out / "lists.png")
    shifts = figures.decision_shifts(tables["decision_changes"])
    if shifts:
        drawn["decisions"] = charts.decision_chart(shifts, out / "decisions.png")
    return drawn


def policy_impact(
    old: PolicySet,
    new: PolicySet,
    options: ImpactOptions,
    progress: BatchProgress | None = None,
    stage: Stage | None = None,
) -> ImpactResult:
    """Assess ``options.records`` under ``old`` and ``new``; write tables, charts, report."""
    tell = stage or (lambda _name: None)
    subjects = subjects_source(options)
    _fresh_out(options.out)
    summaries, sides = [], []
    for name, policies in (("old", old), ("new", new)):
        tell(f"assessing under the {name} policies")
        batch = BatchOptions(
            options.records,
            options.out / name,
            options.as_of,
            skip_invalid=True,
            memory_limit=options.memory_limit,
        )
        summaries.append(assess_dataset(policies, batch, progress))
        sides.append(SideInput(name, batch.out, baseline_tables(policies, options.as_of)))
    tell("comparing")
    tables = compare((sides[0], sides[1]), subjects, options.out, options.memory_limit)
    tell("drawing")
    drawn = _draw(tables, old, new, options.out)
    pair = (summaries[0], summaries[1])
    text = render(
        ReportInput(old, new, pair, tables, options.records, subjects, options.as_of, drawn)
    )
    report = options.out / "report.md"
    report.write_text(text, encoding="utf-8")
    return ImpactResult(pair, tables, report, drawn)
