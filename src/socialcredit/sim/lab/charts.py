"""PNG charts of a run (matplotlib's object API; no global state; no timestamps in files)."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyarrow as pa
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def monthly_means(series: pa.Table, measure: str) -> list[float]:
    """The mean over replicates of ``measure`` for each month."""
    sums: dict[int, list[float]] = defaultdict(list)
    for month, name, value in zip(
        series["month"].to_pylist(),
        series["measure"].to_pylist(),
        series["value"].to_pylist(),
        strict=True,
    ):
        if name == measure:
            sums[month].append(value)
    return [sum(v) / len(v) for _m, v in sorted(sums.items())]


def line_chart(series: pa.Table, measures: list[str], title: str, path: Path) -> Path:
    figure = Figure(figsize=(7, 3.6))
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for measure in measures:
        values = monthly_means(series, measure)
        axes.plot(range(1, len(values) + 1), values, label=measure)
    axes.set_title(title)
    axes.set_xlabel("month")
    axes.set_ylabel("subjects or events (mean over replicates)")
    axes.legend(fontsize="small")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png", metadata={"Software": None})
    return path
