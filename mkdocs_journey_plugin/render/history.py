"""A journey's average and lowest emotion over its revisions: are we improving?"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from .options import ChartOptions
from .svg import ASCENT, Canvas, DrawnChart, Frame, Text, isolate
from .text import text_width

STEP = 84.0  # between revisions: room for a date label
GUTTER = 36.0
PLOT = 120.0
PAD = 10.0
SMALL = 10.0
LEGEND_ROW = 14.0


@dataclass(frozen=True)
class Point:
    date: datetime.date
    average: float
    lowest: float


@dataclass(frozen=True)
class HistoryOptions(ChartOptions):
    """Everything besides the revisions that changes the drawing."""

    id_prefix: str = "history"


def draw_history(title: str, points: Sequence[Point],
                 options: HistoryOptions | None = None) -> DrawnChart:
    """Two lines over the revisions, oldest first: the average (solid, circles) and the lowest
    moment (dashed, squares), each revision's date below the plot, a legend above it."""
    options = options or HistoryOptions()
    t, (low, high) = options.labels, options.scale
    width = max(GUTTER + STEP * max(len(points), 1) + PAD, 240.0)
    top = PAD + 2 * LEGEND_ROW + 6
    height = top + PLOT + 2 * SMALL + 2 * PAD + 18
    canvas = Canvas(Frame(width, options.direction), height, options.id_prefix)
    canvas.describe(
        t("history_title", title=title),
        t("history_desc", count=len(points), first=t.date(points[0].date) if points else "",
          last=t.date(points[-1].date) if points else "",
          average=t.score(points[-1].average) if points else "",
          lowest=t.score(points[-1].lowest) if points else ""), "journey-history")
    texts: list[Text] = []

    def add(text: Text, parent: object = None) -> None:
        texts.append(text)
        canvas.text(text, parent)

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * PLOT

    def x(index: int) -> float:
        return GUTTER + STEP * index + STEP / 2

    axis = canvas.group("jh-axis")
    zero = 0.0 if low < 0 < high else (low + high) / 2
    canvas.line((GUTTER, y(zero)), (width - PAD, y(zero)), "jh-zero", axis)
    for value in (high, zero, low):
        add(Text((options.number(value),), GUTTER - 4, y(value) + 3.5, SMALL,
                 "jh-tick-text", "end"), axis)
    for row, (key, css) in enumerate((("history_average", "jh-series jh-series--average"),
                                      ("history_lowest", "jh-series jh-series--lowest"))):
        middle = PAD + LEGEND_ROW * row + LEGEND_ROW / 2
        legend = canvas.group(css)
        canvas.line((PAD, middle), (PAD + 18, middle), "jh-line", legend)
        add(Text((t(key),), PAD + 24, middle + 3.5, SMALL, "jh-legend-text"), legend)
    for values, css, shape in (([p.average for p in points], "jh-series--average", "circle"),
                               ([p.lowest for p in points], "jh-series--lowest", "square")):
        group = canvas.group(f"jh-series {css}")
        line = [(x(i), y(v)) for i, v in enumerate(values)]
        if len(line) > 1:
            canvas.polyline(line, "jh-line", group)
        for centre in line:
            if shape == "circle":
                canvas.circle(centre, 3.5, "jh-marker", group)
            else:
                canvas.rect(centre[0] - 3.5, centre[1] - 3.5, 7, 7, "jh-marker", group)
    for index, point in enumerate(points):
        date = options.labels.short_date(point.date)
        size = SMALL if text_width(date, SMALL) < STEP - 6 else SMALL - 2
        add(Text((isolate(date, options.direction),), x(index), top + PLOT + PAD + ASCENT * size,
                 size, "jh-date", "middle"))
    return DrawnChart(canvas.tostring(), width, height, texts)


def render_history(title: str, points: Sequence[Point],
                   options: HistoryOptions | None = None) -> str:
    return draw_history(title, points, options).svg
