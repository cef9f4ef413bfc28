"""Charts as accessible SVG, drawn on the server: a horizontal bar chart and a line chart.

Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (its figures in
words); the page shows the same figures in a table next to it. Labels come already translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

BAR_HEIGHT = 32
LABEL_WIDTH = 250
WIDTH = 600


@dataclass(frozen=True)
class Chart:
    """What to draw: a title, a description, and (label, value) points in order."""

    key: str
    title: str
    description: str
    points: Sequence[tuple[str, float]]


def _open(chart: Chart, height: int) -> str:
    key = escape(chart.key)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{key}-t {key}-d"><title id="{key}-t">{escape(chart.title)}</title>'
        f'<desc id="{key}-d">{escape(chart.description)}</desc>'
    )


def bars(chart: Chart, shown: Sequence[str]) -> Markup:
    """A horizontal bar per point; ``shown`` are the values as printed (per locale)."""
    height = max(len(chart.points), 1) * BAR_HEIGHT + 10
    top = max((v for _, v in chart.points), default=0) or 1
    room = WIDTH - LABEL_WIDTH - 70
    parts = [_open(chart, height)]
    for i, ((label, value), text) in enumerate(zip(chart.points, shown, strict=True)):
        y = 5 + i * BAR_HEIGHT
        width = round(room * value / top)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 21}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{width}" height="{BAR_HEIGHT - 10}" '
            f'fill="#0b4f8a"></rect>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + 21}">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def line(chart: Chart, low: float, high: float) -> Markup:
    """A line through the points from left to right, between ``low`` and ``high``."""
    height, left, bottom, top_pad = 260, 60, 40, 15
    span = (high - low) or 1
    count = max(len(chart.points) - 1, 1)
    inner_w, inner_h = WIDTH - left - 15, height - bottom - top_pad

    def xy(i: int, value: float) -> tuple[float, float]:
        x = left + inner_w * i / count
        y = top_pad + inner_h * (1 - (value - low) / span)
        return round(x, 1), round(y, 1)

    coords = [xy(i, v) for i, (_, v) in enumerate(chart.points)]
    parts = [_open(chart, height)]
    for value in (low, (low + high) / 2, high):
        _, y = xy(0, value)
        parts.append(
            f'<line x1="{left}" x2="{WIDTH - 15}" y1="{y}" y2="{y}" stroke="#c8c8c8"></line>'
            f'<text x="{left - 6}" y="{y + 4}" text-anchor="end">{round(value)}</text>'
        )
    path = " ".join(f"{x},{y}" for x, y in coords)
    parts.append(f'<polyline points="{path}" fill="none" stroke="#0b4f8a" stroke-width="3">')
    parts.append("</polyline>")
    for x, y in coords:
        parts.append(f'<circle cx="{x}" cy="{y}" r="4" fill="#0b4f8a"></circle>')
    step = max(1, len(chart.points) // 4)
    for i in range(0, len(chart.points), step):
        x, _ = coords[i]
        label = escape(chart.points[i][0])
        parts.append(f'<text x="{x}" y="{height - 12}" text-anchor="middle">{label}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
