"""Several emotion curves over shared stages: a current and an ideal journey, or several personas.

Columns are the stages of all series, matched by name ignoring case. Each series' frontstage
touchpoints are spread evenly inside their stage's column, and the curve joins them in the
journey's own order. A series is told apart by its dash pattern, its marker shape and its name
written at its last point, not only by colour; a legend row repeats each sample with the name.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..model import Journey
from .options import ChartOptions
from .svg import ASCENT, DESCENT, Canvas, DrawnChart, Frame, Text, hits
from .text import ELLIPSIS, fit, line_height, text_width

PAD = 12.0
SIZE = 12.0
SMALL = 11.0
CURVE = 220.0  # height of the emotion scale, at least
INSET = 14.0  # above the top and below the bottom of the scale, inside the plot
COLUMN = 120.0  # narrowest stage column
PER_POINT = 40.0  # a column is wider when a series has many touchpoints in it
MARKER = 5.0
NAME = 150.0  # widest name at the end of a curve
LEGEND_NAME = 240.0
SAMPLE = 36.0  # legend sample: dash and marker
LABEL_GAP = 3.0
MIN_WIDTH = 420.0
SHAPES = ("circle", "square", "diamond", "triangle", "cross", "triangle-down", "plus", "star")


@dataclass(frozen=True)
class Series:
    """One curve: a name for it and the journey it comes from."""

    name: str
    journey: Journey


@dataclass(frozen=True)
class ComparisonOptions(ChartOptions):
    """Everything besides the series that changes the drawing."""

    id_prefix: str = "comparison"
    title: str = ""


def stage_columns(series: Sequence[Series]) -> list[str]:
    """The stage names of all series, each once (ignoring case), as the first spelling seen.

    The first series gives the order. A stage that a later series adds goes right after that
    series' stage before it (or before its stage after it, when it opens the journey), so each
    journey's own order is kept where the series agree; stages shared by none go at the end.
    """
    keys: list[str] = []
    names: dict[str, str] = {}
    for one in series:
        stages = [s.name for s in one.journey.stages]
        previous: str | None = None
        for position, name in enumerate(stages):
            key = name.casefold()
            if key not in names:
                names[key] = name
                if previous is not None:
                    keys.insert(keys.index(previous) + 1, key)
                else:
                    later = [k for s in stages[position + 1:] if (k := s.casefold()) in keys]
                    keys.insert(keys.index(later[0]) if later else len(keys), key)
            previous = key
    return [names[key] for key in keys]


def marker_points(shape: str, x: float, y: float, size: float) -> list[tuple[float, float]]:
    """The outline of a marker shape centred on (x, y); a circle is drawn as a circle instead."""
    s = size
    if shape == "square":
        s *= 0.9
        return [(x - s, y - s), (x + s, y - s), (x + s, y + s), (x - s, y + s)]
    if shape == "diamond":
        s *= 1.3
        return [(x, y - s), (x + s, y), (x, y + s), (x - s, y)]
    if shape in ("triangle", "triangle-down"):
        s *= 1.25
        tip = -s if shape == "triangle" else s
        return [(x, y + tip), (x + s, y - tip * 0.75), (x - s, y - tip * 0.75)]
    if shape in ("cross", "plus"):
        s *= 1.2
        arm = s * 0.38
        plus = [(-arm, -s), (arm, -s), (arm, -arm), (s, -arm), (s, arm), (arm, arm), (arm, s),
                (-arm, s), (-arm, arm), (-s, arm), (-s, -arm), (-arm, -arm)]
        if shape == "plus":
            return [(x + a, y + b) for a, b in plus]
        turn = math.sqrt(0.5)
        return [(x + (a - b) * turn, y + (a + b) * turn) for a, b in plus]
    # A five-pointed star, its outer points on a circle a little larger than the others'.
    outer, inner = s * 1.35, s * 0.6
    return [(x + (outer if i % 2 == 0 else inner) * math.sin(i * math.pi / 5),
             y - (outer if i % 2 == 0 else inner) * math.cos(i * math.pi / 5))
            for i in range(10)]


@dataclass
class _Curve:
    index: int
    series: Series
    points: list[tuple[float, float]]


class _ComparisonDrawer:
    def __init__(self, series: Sequence[Series], options: ComparisonOptions) -> None:
        self.series = list(series)
        self.options = options
        self.t = options.labels
        self.texts: list[Text] = []
        self.low, self.high = options.scale

    def add(self, text: Text) -> Text:
        self.texts.append(text)
        return text

    # --- layout ---------------------------------------------------------------------------

    def columns(self) -> tuple[list[str], list[float]]:
        names = stage_columns(self.series)
        widths = []
        for name in names:
            key = name.casefold()
            most = max([sum(1 for stage in one.journey.stages if stage.name.casefold() == key
                            for tp in stage.touchpoints if not tp.backstage)
                        for one in self.series] + [1])
            widths.append(max(COLUMN, PER_POINT * most))
        return names, widths

    def curves(self, names: list[str], lefts: list[float], widths: list[float],
               score_y: Any) -> list[_Curve]:
        where = {name.casefold(): n for n, name in enumerate(names)}
        curves = []
        for index, one in enumerate(self.series):
            front = [(stage.name.casefold(), tp) for stage in one.journey.stages
                     for tp in stage.touchpoints if not tp.backstage and tp.score is not None]
            counts: dict[str, int] = {}
            for key, _ in front:
                counts[key] = counts.get(key, 0) + 1
            seen: dict[str, int] = {}
            points = []
            for key, tp in front:
                column = where[key]
                number = seen.get(key, 0)
                seen[key] = number + 1
                x = lefts[column] + widths[column] * (number + 0.5) / counts[key]
                points.append((x, score_y(tp.score or 0.0)))
            curves.append(_Curve(index, one, points))
        return curves

    @staticmethod
    def stack(labels: list[tuple[float, float, float, float]], low: float, high: float,
              apart: Any) -> list[float]:
        """Tops for labels (left, right, wanted top, height) inside [low, high] so that no two
        that `apart` says may collide overlap: pushed down, then back up from the bottom."""
        order = sorted(range(len(labels)), key=lambda i: (labels[i][2], i))
        tops = [0.0] * len(labels)
        done: list[int] = []
        for i in order:
            top = max(labels[i][2], low)
            for j in done:
                if apart(i, j):
                    top = max(top, tops[j] + labels[j][3] + LABEL_GAP)
            tops[i] = top
            done.append(i)
        for position in range(len(order) - 1, -1, -1):
            i = order[position]
            top = min(tops[i], high - labels[i][3])
            for j in order[position + 1:]:
                if apart(i, j):
                    top = min(top, tops[j] - LABEL_GAP - labels[i][3])
            tops[i] = top
        return tops

    def place_names(self, curves: list[_Curve], low: float,
                    high: float) -> list[tuple[_Curve, Text]]:
        """The name of each series after its last point, nudged up or down off the others."""
        wanted: list[tuple[_Curve, tuple[str, ...], float, float]] = []
        for curve in curves:
            lines = tuple(fit(curve.series.name, NAME, SMALL, 1, bold=True))
            if curve.points and lines:
                x, y = curve.points[-1]
                wanted.append((curve, lines, x + MARKER + 14, y))
        height = (ASCENT + DESCENT) * SMALL
        boxes = [(left, left + text_width(lines[0], SMALL, True), y - height / 2, height)
                 for _, lines, left, y in wanted]

        def beside(i: int, j: int) -> bool:
            return min(boxes[i][1], boxes[j][1]) - max(boxes[i][0], boxes[j][0]) > -4

        tops = self.stack(boxes, low, high, beside)
        clash = any(hits((a[0], ta, a[1], ta + a[3]), (b[0], tb, b[1], tb + b[3]), 4, LABEL_GAP)
                    for n, (a, ta) in enumerate(zip(boxes, tops, strict=True))
                    for b, tb in list(zip(boxes, tops, strict=True))[n + 1:])
        if clash or any(top < low - 0.01 for top in tops):  # one column of labels then
            tops = self.stack(boxes, low, high, lambda i, j: True)
        placed = []
        for (curve, lines, left, _), top in zip(wanted, tops, strict=True):
            shortened = lines[-1].endswith(ELLIPSIS)
            placed.append((curve, Text(lines, left, top + ASCENT * SMALL, SMALL,
                                       f"jc-name jc-series--{curve.index % len(SHAPES)}",
                                       "start", True,
                                       curve.series.name if shortened else None)))
        return placed

    @staticmethod
    def headers(names: list[str], lefts: list[float], widths: list[float]) -> list[Text]:
        """The stages' names, each over its column."""
        headers: list[Text] = []
        for name, left, width in zip(names, lefts, widths, strict=True):
            lines = fit(name, width - 2 * PAD, SIZE, 3, bold=True)
            shortened = bool(lines) and lines[-1].endswith(ELLIPSIS)
            headers.append(Text(tuple(lines) or ("",), left + width / 2, PAD + ASCENT * SIZE,
                                SIZE, "jc-stage-name", "middle", True,
                                name if shortened else None))
        return headers

    def legend(self, top: float, width: float) -> tuple[list[tuple[int, Text, float]], float]:
        """A sample and the name of each series, in rows that wrap inside the chart's width."""
        placed: list[tuple[int, Text, float]] = []
        left, right = PAD, width - PAD
        x, y, row_height = left, top, 2 * MARKER + 4
        room = min(LEGEND_NAME, right - left - SAMPLE - 6)
        for index, one in enumerate(self.series):
            lines = tuple(fit(one.name, room, SMALL, 2)) or ("",)
            text = Text(lines, 0, 0, SMALL, "jc-legend-text")
            if x > left and x + SAMPLE + 6 + text.width > right:
                x, y, row_height = left, y + row_height + 6, 2 * MARKER + 4
            middle = y + MARKER + 2
            baseline = middle - (ASCENT + DESCENT) * SMALL / 2 + ASCENT * SMALL
            shortened = lines[-1].endswith(ELLIPSIS)
            text = Text(lines, x + SAMPLE + 6, baseline, SMALL, "jc-legend-text", "start", False,
                        one.name if shortened else None)
            placed.append((index, text, x))
            row_height = max(row_height, text.box()[3] - y)
            x += SAMPLE + 6 + text.width + 18
        return placed, y + row_height - top

    # --- drawing --------------------------------------------------------------------------

    def draw(self) -> DrawnChart:
        t, options = self.t, self.options
        names, widths = self.columns()
        axis_values = [self.high, 0.0 if self.low < 0 < self.high else
                       (self.low + self.high) / 2, self.low]
        axis_labels = [self.options.number(v) for v in axis_values]
        gutter = PAD + max(text_width(label, SMALL) for label in axis_labels) + 8
        lefts = [gutter + sum(widths[:n]) for n in range(len(names))]
        columns_right = gutter + sum(widths)

        headers = self.headers(names, lefts, widths)
        header_height = max([h.height for h in headers] + [line_height(SIZE)]) + 2 * PAD
        plot_top = header_height
        label_room = len([s for s in self.series if s.name.strip()]) * \
            ((ASCENT + DESCENT) * SMALL + LABEL_GAP)
        curve = max(CURVE, label_room)
        plot_bottom = plot_top + curve + 2 * INSET

        def score_y(value: float) -> float:
            share = (self.high - min(max(value, self.low), self.high)) / (self.high - self.low)
            return plot_top + INSET + share * curve

        curves = self.curves(names, lefts, widths, score_y)
        placed_names = self.place_names(curves, plot_top + 2, plot_bottom - 2)
        width = max([columns_right + PAD, MIN_WIDTH] +
                    [text.box()[2] + PAD for _, text in placed_names])
        legend_top = plot_bottom + PAD
        legend, legend_height = self.legend(legend_top, width)
        height = legend_top + legend_height + PAD

        canvas = Canvas(Frame(width, options.direction), height, options.id_prefix)
        canvas.describe(
            t("comparison_title", title=options.title),
            t("comparison_desc", count=len(self.series), stages=", ".join(names),
              names=", ".join(s.name for s in self.series)), "journey-comparison")

        self.draw_stages(canvas, list(zip(lefts, widths, strict=True)), headers, header_height,
                         plot_bottom)
        group = canvas.group("jc-axis")
        zero_y = score_y(axis_values[1])
        canvas.line((gutter, zero_y), (columns_right, zero_y), "jc-zero", group)
        for value, label in zip(axis_values, axis_labels, strict=True):
            y = score_y(value)
            canvas.line((gutter - 4, y), (gutter, y), "jc-tick", group)
            text = Text((label,), gutter - 6, y - (ASCENT + DESCENT) * SMALL / 2
                        + ASCENT * SMALL, SMALL, "jc-tick-text", "end")
            canvas.text(self.add(text), group)
        for curve_ in curves:
            self.draw_curve(canvas, curve_)
        self.draw_names(canvas, placed_names)
        self.draw_legend(canvas, legend)
        return DrawnChart(canvas.tostring(), width, height, self.texts)

    def draw_stages(self, canvas: Canvas, columns: list[tuple[float, float]],
                    headers: list[Text], header_height: float, plot_bottom: float) -> None:
        """Each stage's box and name over its column (left, width), a rule between columns."""
        group = canvas.group("jc-stages")
        for number, (left, width) in enumerate(columns):
            canvas.rect(left + 2, 2, width - 4, header_height - 4, "jc-stage", group, radius=4)
            if number:
                canvas.line((left, header_height), (left, plot_bottom), "jc-stage-rule", group)
        for header in headers:
            canvas.text(self.add(header), group)

    def draw_names(self, canvas: Canvas, placed_names: list[tuple[_Curve, Text]]) -> None:
        """Each series' name, joined to its curve's last point by a short line."""
        group = canvas.group("jc-names")
        for curve, text in placed_names:
            x, y = curve.points[-1]
            middle = text.y - ASCENT * SMALL + text.height / 2
            css = f"jc-connector jc-series--{curve.index % len(SHAPES)}"
            canvas.line((x + MARKER + 3, y), (text.x - 3, middle), css, group)
            canvas.text(self.add(text), group)

    def marker(self, canvas: Canvas, index: int, x: float, y: float, parent: Any) -> None:
        shape = SHAPES[index % len(SHAPES)]
        if shape == "circle":
            canvas.circle((x, y), MARKER, "jc-marker", parent)
        else:
            canvas.polygon(marker_points(shape, x, y, MARKER), "jc-marker", parent)

    def draw_curve(self, canvas: Canvas, curve: _Curve) -> None:
        style = curve.index % len(SHAPES)
        group = canvas.group(f"jc-series jc-series--{style}", data_shape=SHAPES[style])
        if len(curve.points) > 1:
            canvas.polyline(curve.points, "jc-line", group)
        for x, y in curve.points:
            self.marker(canvas, curve.index, x, y, group)

    def draw_legend(self, canvas: Canvas, placed: list[tuple[int, Text, float]]) -> None:
        group = canvas.group("jc-legend")
        for index, text, x in placed:
            style = index % len(SHAPES)
            item = canvas.group(f"jc-series jc-series--{style}", group)
            middle = text.y - ASCENT * SMALL + (ASCENT + DESCENT) * SMALL / 2
            canvas.polyline([(x, middle), (x + SAMPLE, middle)], "jc-line", item)
            self.marker(canvas, index, x + SAMPLE / 2, middle, item)
            canvas.text(self.add(text), item)


def draw_comparison(series: Sequence[Series],
                    options: ComparisonOptions | None = None) -> DrawnChart:
    """The comparison chart and the geometry of its text; for tests and for callers that need
    the size."""
    return _ComparisonDrawer(series, options or ComparisonOptions()).draw()


def render_comparison(series: Sequence[Series], options: ComparisonOptions | None = None) -> str:
    """The comparison as an SVG string: a pure function of the series and the options."""
    return draw_comparison(series, options).svg
