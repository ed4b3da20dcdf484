"""Average emotion per channel or per team: horizontal bars diverging from zero.

One row per item, in the order given: its name (wrapped in a gutter, with "n = {count}" under it),
a bar from the zero line (the scale's middle when zero is not inside the scale, as on [1, 5]) to
the average, the average written at the bar's end, and a small triangle under the bar at the
lowest moment. Bars below zero point the other way, are hatched, and have their number on the
other side: never told apart by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .options import ChartOptions
from .svg import ASCENT, DESCENT, Canvas, DrawnChart, Frame, Text, hits, isolate
from .text import ELLIPSIS, fit, line_height

WIDTH = 720.0
PAD = 12.0
SIZE = 12.0
SMALL = 11.0
GUTTER = 190.0  # width of the item names
BAR = 16.0  # thickness of a bar
LOWEST = 8.0  # height of the lowest-moment mark under a bar
ROW_GAP = 12.0
VALUE_GAP = 6.0  # from a bar's end to its number
SWATCH = 14.0  # legend samples


@dataclass(frozen=True)
class Bar:
    """One item: a channel or a team, with the figures of its frontstage touchpoints."""

    label: str
    average: float
    lowest: float
    count: int


@dataclass(frozen=True)
class BarOptions(ChartOptions):
    """Everything besides the bars that changes the drawing."""

    id_prefix: str = "bars"
    what: str = "channel"  # what an item is, for the title: "Average emotion per channel"
    what_plural: str = "channels"
    # Words not (yet) in the locales; the caller passes them translated.
    count_label: str = "n = {count}"
    legend_average: str = "Average emotion"
    legend_lowest: str = "Lowest moment"


# A bar's row: the bar, its name, its count, its top and its height.
_Row = tuple[Bar, Text, Text, float, float]


class _BarsDrawer:
    def __init__(self, bars: Sequence[Bar], options: BarOptions) -> None:
        self.bars = list(bars)
        self.options = options
        self.t = options.labels
        self.texts: list[Text] = []
        low, high = options.scale
        self.low, self.high = low, high
        self.origin = 0.0 if low < 0 < high else (low + high) / 2
        self.values = [Text((options.number(b.average),), 0, 0, SMALL, "jb-value", "start", True)
                       for b in self.bars]
        self.axis_values = [self.low, self.origin, self.high]
        self.axis_texts = [Text((options.number(v),), 0, 0, SMALL, "jb-tick-text", "middle")
                           for v in self.axis_values]
        # Room beside the plot for the numbers at the ends of the longest bars.
        room = max([v.width for v in self.values] + [a.width / 2 for a in self.axis_texts]) \
            + VALUE_GAP + 2
        self.plot_left = PAD + GUTTER + PAD + room
        self.plot_right = WIDTH - PAD - room

    def clamp(self, value: float) -> float:
        return min(max(value, self.low), self.high)

    def x(self, value: float) -> float:
        share = (self.clamp(value) - self.low) / (self.high - self.low)
        return self.plot_left + share * (self.plot_right - self.plot_left)

    def add(self, text: Text) -> Text:
        self.texts.append(text)
        return text

    def ticks(self, y: float) -> list[Text]:
        """The scale's numbers over the plot: its ends and zero (or its middle)."""
        ticks: list[Text] = []
        for value, text in zip(self.axis_values, self.axis_texts, strict=True):
            tick = Text(text.lines, self.x(value), y + ASCENT * SMALL, SMALL, "jb-tick-text",
                        "middle")
            # On a lopsided scale zero may sit too close to an end to have its own number.
            if not any(hits(tick.box(), other.box(), 4) for other in ticks):
                ticks.append(tick)
        return ticks

    def rows(self, y: float) -> tuple[list[_Row], float]:
        """A row per bar from `y` down, as tall as its name and count; and the y under them."""
        options = self.options
        rows: list[_Row] = []
        for bar in self.bars:
            lines = fit(bar.label, GUTTER, SIZE, 3)
            shortened = bool(lines) and lines[-1].endswith(ELLIPSIS)
            name = Text(tuple(lines) or ("",), PAD, y + ASCENT * SIZE, SIZE, "jb-label",
                        "start", False, bar.label if shortened else None)
            count_text = options.count_label.format(count=isolate(str(bar.count),
                                                                  options.direction))
            count = Text(tuple(fit(count_text, GUTTER, SMALL, 1)) or ("",), PAD,
                         name.box()[3] + 2 + ASCENT * SMALL, SMALL, "jb-count")
            height = max(count.box()[3] - y, BAR + 2 + LOWEST)
            rows.append((bar, name, count, y, height))
            y += height + ROW_GAP
        return rows, y

    def draw(self) -> DrawnChart:
        t, options = self.t, self.options
        y = PAD
        ticks = self.ticks(y)
        y += line_height(SMALL) + 6
        plot_top = y
        rows, y = self.rows(y)
        plot_bottom = y - ROW_GAP + 4 if rows else y + BAR

        legend_top = plot_bottom + PAD
        legend, legend_height = self.legend(legend_top)
        height = legend_top + legend_height + PAD

        canvas = Canvas(Frame(WIDTH, options.direction), height, options.id_prefix)
        averages = [b.average for b in self.bars] or [self.origin]
        canvas.describe(
            t("bars_title", what=options.what),
            t("bars_desc", count=len(self.bars), what_plural=options.what_plural,
              low=options.number(min(averages)), high=options.number(max(averages))),
            "journey-bars")
        self.hatch(canvas)

        group = canvas.group("jb-axis")
        for value in (self.low, self.high):
            canvas.line((self.x(value), plot_top - 4), (self.x(value), plot_bottom), "jb-grid",
                        group)
        for tick in ticks:
            canvas.text(self.add(tick), group)

        bars_group = canvas.group("jb-rows")
        for row, shown in zip(rows, self.values, strict=True):
            self.draw_row(canvas, row, shown, bars_group)
        # The zero line over the bars, so that every bar visibly starts on it.
        origin = self.x(self.origin)
        canvas.line((origin, plot_top - 4), (origin, plot_bottom), "jb-zero", group)
        self.draw_legend(canvas, legend)
        return DrawnChart(canvas.tostring(), WIDTH, height, self.texts)

    def draw_row(self, canvas: Canvas, row: _Row, shown: Text, parent: Any) -> None:
        """A bar's name and count, its bar from the zero line with its number at the end, and
        the mark of its lowest moment under it."""
        bar, name, count, top, _ = row
        group = canvas.group("jb-row", parent)
        canvas.text(self.add(name), group)
        canvas.text(self.add(count), group)
        origin, end = self.x(self.origin), self.x(bar.average)
        middle = top + BAR / 2
        baseline = middle - (ASCENT + DESCENT) * SMALL / 2 + ASCENT * SMALL
        if abs(end - origin) < 0.05:  # on the zero line: a stub, the number after it
            canvas.rect(origin - 1.5, top, 3, BAR, "jb-bar jb-bar--neutral", group)
            number = Text(shown.lines, origin + 1.5 + VALUE_GAP, baseline, SMALL,
                          "jb-value", "start", True)
        elif end > origin:
            canvas.rect(origin, top, end - origin, BAR, "jb-bar jb-bar--positive", group)
            number = Text(shown.lines, end + VALUE_GAP, baseline, SMALL, "jb-value",
                          "start", True)
        else:
            self.negative(canvas, end, top, origin - end, group)
            number = Text(shown.lines, end - VALUE_GAP, baseline, SMALL,
                          "jb-value jb-value--negative", "end", True)
        canvas.text(self.add(number), group)
        low = self.x(bar.lowest)
        canvas.polygon([(low, top + BAR + 1), (low + LOWEST / 2 + 1, top + BAR + 1 + LOWEST),
                        (low - LOWEST / 2 - 1, top + BAR + 1 + LOWEST)], "jb-lowest", group)

    def hatch(self, canvas: Canvas) -> None:
        """The stripes of a bar below zero; a pattern, so it never depends on colour alone."""
        pattern = canvas.drawing.pattern(id=f"{self.options.id_prefix}-hatch", size=(6, 6),
                                         patternUnits="userSpaceOnUse")
        pattern.attribs["patternTransform"] = "rotate(45)"
        pattern.add(canvas.drawing.rect((0, 0), (6, 6), class_="jb-hatch-ground"))
        pattern.add(canvas.drawing.line((0, 0), (0, 6), class_="jb-hatch-line"))
        canvas.drawing.defs.add(pattern)

    def negative(self, canvas: Canvas, left: float, top: float, width: float,
                 parent: Any) -> None:
        canvas.rect(left, top, width, BAR, "jb-bar jb-bar--negative", parent)
        parent.elements[-1].attribs["fill"] = f"url(#{self.options.id_prefix}-hatch)"

    def legend(self, top: float) -> tuple[list[tuple[str, Text, float]], float]:
        """Samples and words in rows that wrap inside the chart's width."""
        options = self.options
        placed: list[tuple[str, Text, float]] = []
        left, right = PAD, WIDTH - PAD
        x, y, row_height = left, top, SWATCH
        for key, label, sample in (("average", options.legend_average, 2 * SWATCH + 4),
                                   ("lowest", options.legend_lowest, SWATCH)):
            lines = tuple(fit(label, right - left - sample - 6, SMALL, 2))
            text = Text(lines, 0, 0, SMALL, "jb-legend-text")
            if x > left and x + sample + 6 + text.width > right:
                x, y, row_height = left, y + row_height + 6, SWATCH
            baseline = y + SWATCH / 2 - (ASCENT + DESCENT) * SMALL / 2 + ASCENT * SMALL
            text = Text(lines, x + sample + 6, baseline, SMALL, "jb-legend-text")
            placed.append((key, text, x))
            row_height = max(row_height, text.box()[3] - y)
            x += sample + 6 + text.width + 18
        return placed, y + row_height - top

    def draw_legend(self, canvas: Canvas, placed: list[tuple[str, Text, float]]) -> None:
        group = canvas.group("jb-legend")
        for key, text, x in placed:
            top = text.y - ASCENT * SMALL + (ASCENT + DESCENT) * SMALL / 2 - SWATCH / 2
            if key == "average":
                canvas.rect(x, top, SWATCH, SWATCH, "jb-bar jb-bar--positive", group)
                self.negative(canvas, x + SWATCH + 4, top, SWATCH, group)
            else:
                mid = x + SWATCH / 2
                canvas.polygon([(mid, top + 2), (mid + LOWEST / 2 + 1, top + 2 + LOWEST),
                                (mid - LOWEST / 2 - 1, top + 2 + LOWEST)], "jb-lowest", group)
            canvas.text(self.add(text), group)


def draw_emotion_bars(bars: Sequence[Bar], options: BarOptions | None = None) -> DrawnChart:
    """The bar chart and the geometry of its text; for tests and for callers that need the size."""
    return _BarsDrawer(bars, options or BarOptions()).draw()


def render_emotion_bars(bars: Sequence[Bar], options: BarOptions | None = None) -> str:
    """The bar chart as an SVG string: a pure function of the bars and the options."""
    return draw_emotion_bars(bars, options).svg

