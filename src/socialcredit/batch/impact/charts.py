"""PNG charts of an impact report, drawn with matplotlib's object API (no global pyplot state)."""

from __future__ import annotations

import re
from pathlib import Path

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from socialcredit.batch.impact.figures import DecisionShift, ListFlow, Matrix


def _save(figure: Figure, path: Path) -> Path:
    figure.tight_layout()
    FigureCanvasAgg(figure)
    figure.savefig(path, format="png")
    return path


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-") or "chart"


def grade_chart(matrix: Matrix, path: Path) -> Path:
    """A heat map of the grade transition matrix, each cell labelled with its subjects."""
    olds, news = matrix.old_grades, matrix.new_grades
    values = [[matrix.counts[(o, n)] for n in news] for o in olds]
    size = (max(4.0, 1.0 + 0.8 * len(news)), max(3.0, 1.0 + 0.6 * len(olds)))
    figure = Figure(figsize=size, dpi=100)
    axes = figure.add_subplot()
    image = axes.imshow(values, cmap="Blues")
    figure.colorbar(image, ax=axes, label="subjects")
    axes.set_xticks(range(len(news)), labels=list(news))
    axes.set_yticks(range(len(olds)), labels=list(olds))
    axes.set_xlabel("grade under the new policy")
    axes.set_ylabel("grade under the old policy")
    axes.set_title(f"Grade transitions: {matrix.model}")
    peak = max((max(row) for row in values), default=0)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            colour = "white" if peak and value > peak / 2 else "black"
            axes.text(j, i, f"{value:,}", ha="center", va="center", color=colour, fontsize=8)
    return _save(figure, path)


def _bars(rows: int, title: str, xlabel: str) -> tuple[Figure, Axes]:
    """A figure for ``rows`` horizontal bars, first row on top, whole-number ticks."""
    figure = Figure(figsize=(7.0, max(2.5, 0.5 + 0.45 * rows)), dpi=100)
    axes = figure.add_subplot()
    axes.invert_yaxis()
    axes.set_title(title)
    axes.set_xlabel(xlabel)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    return figure, axes


def list_chart(flows: list[ListFlow], path: Path) -> Path:
    """Entries and exits per list, side by side."""
    figure, axes = _bars(len(flows), "List entries and exits under the new policy", "subjects")
    positions = range(len(flows))
    axes.barh([p - 0.2 for p in positions], [f.entered for f in flows], 0.4, label="entered")
    axes.barh([p + 0.2 for p in positions], [f.exited for f in flows], 0.4, label="exited")
    axes.set_yticks(list(positions), labels=[f.list for f in flows])
    axes.legend()
    return _save(figure, path)


def decision_chart(shifts: list[DecisionShift], path: Path) -> Path:
    """Per service, subjects whose decision becomes stricter or milder."""
    services = sorted({s.service for s in shifts})
    stricter = [sum(s.subjects for s in shifts if s.service == v and s.stricter) for v in services]
    milder = [
        sum(s.subjects for s in shifts if s.service == v and not s.stricter) for v in services
    ]
    title, xlabel = "Decisions that change, per service", "subjects whose decision changes"
    figure, axes = _bars(len(services), title, xlabel)
    axes.barh(services, stricter, label="stricter", color="tab:red")
    axes.barh(services, milder, left=stricter, label="milder", color="tab:green")
    axes.legend()
    return _save(figure, path)
