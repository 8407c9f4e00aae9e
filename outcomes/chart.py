"""The score-over-time chart: geometry for an inline SVG drawn by the template (no script, no inline
styles: the page's CSP allows neither). The same points go in a data table next to it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

WIDTH, HEIGHT = 640, 280
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 40


@dataclass
class Point:
    x: float
    y: float
    score: Decimal
    label: str  # the date, for the axis and the point's title


def trend(checkins: list, low: int, high: int, marker: Decimal | None) -> dict | None:
    """Points of the scored check-ins (oldest first) on a scale from ``low`` to ``high``."""
    scored = [c for c in checkins if c.score is not None]
    if not scored or high <= low:
        return None
    first, last = scored[0].taken_on, scored[-1].taken_on
    span = max((last - first).days, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def y_of(value) -> float:
        return round(TOP + plot_h * (1 - (float(value) - low) / (high - low)), 1)

    def x_of(day) -> float:
        return round(LEFT + plot_w * ((day - first).days / span if len(scored) > 1 else 0.5), 1)

    points = [Point(x_of(c.taken_on), y_of(c.score), c.score, c.taken_on.strftime("%b %-d, %Y")) for c in scored]
    ticks = [(y_of(v), v) for v in _ticks(low, high)]
    return {
        "width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
        "bottom": HEIGHT - BOTTOM, "points": points, "ticks": ticks,
        "path": " ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points)),
        "marker_y": y_of(marker) if marker is not None and low <= marker <= high else None,
        "marker": marker, "first_label": points[0].label, "last_label": points[-1].label,
        "label_y": HEIGHT - BOTTOM + 24, "latest": points[-1].score,
    }


def _ticks(low: int, high: int) -> list[int]:
    step = max(1, round((high - low) / 5))
    values = list(range(low, high + 1, step))
    if values[-1] != high:
        values.append(high)
    return values


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    cx: float  # the bar's middle, where its value and label are written
    value: float
    text: str  # the value as shown above the bar
    label: str  # the category under the bar


def bars(series: list[tuple[str, float, str]], *, width: int = WIDTH, height: int = HEIGHT) -> dict | None:
    """Geometry of a bar chart (no script, no inline style) for ``(label, value, value_text)`` rows: each
    bar carries its value as text above it, so the chart is read without colour; a data table with the
    same rows goes next to it (reports, outcomes)."""
    if not series:
        return None
    top_value = max((float(v) for _, v, _ in series), default=0) or 1
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM
    slot = plot_w / len(series)
    bar_w = round(min(slot * 0.7, 64), 1)
    result = []
    for i, (label, value, text) in enumerate(series):
        h = round(plot_h * float(value) / top_value, 1)
        x = round(LEFT + slot * i + (slot - bar_w) / 2, 1)
        result.append(Bar(x, round(TOP + plot_h - h, 1), bar_w, h, round(x + bar_w / 2, 1), float(value), text, label))
    ticks = [(round(TOP + plot_h * (1 - v / top_value), 1), v) for v in _ticks(0, int(top_value) or 1)
             if v <= top_value]
    return {"width": width, "height": height, "left": LEFT, "right": width - RIGHT, "top": TOP,
            "bottom": height - BOTTOM, "bars": result, "ticks": ticks, "label_y": height - BOTTOM + 16,
            "every": max(1, len(series) // 8)}
