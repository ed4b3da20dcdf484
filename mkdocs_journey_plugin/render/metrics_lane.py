"""The map's lane of measures: each stage's measures over its columns, each touchpoint's in its
column. A measure is its name, its value with a symbol (met, missed, no target), its target in
words (so that nothing is told by colour alone) and, with two or more dated values, a
sparkline of them with the target as a dashed line.

A journey's own measures (not of a stage or touchpoint) have no column: the page's table and
the map's description give them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..labels import Labels
from ..metrics import Measure, Measures
from .svg import ASCENT, Direction, Text, isolate
from .text import fit, line_height

SPARK_HEIGHT = 18.0
SPARK_GAP = 4.0  # from the words to the sparkline
BLOCK_GAP = 10.0  # between two measures of one place, and under the stages' row
SYMBOLS = {True: "\u2713", False: "\u2717", None: "\u2022"}  # met, missed, no target
STATES = {True: "met", False: "missed", None: "none"}


@dataclass(frozen=True)
class MetricBlock:
    """One measure placed in the lane: its words, and its sparkline's points."""

    texts: tuple[Text, ...]
    state: str  # met, missed or none (the css and the tests)
    spark: tuple[tuple[float, float], ...] = ()
    target_y: float | None = None  # the target's line across the sparkline
    spark_box: tuple[float, float, float, float] | None = None  # left, top, width, height


def shown_value(value: float, unit: str | None, labels: Labels, direction: Direction,
                sign: str = "", joint: str = "\u00a0") -> str:
    """A value with its unit, kept together by `joint`: '86\u00a0%', '4,5\u00a0min' in German.
    The number (with a sign before it) is isolated left to right in right-to-left text, the
    unit not: a unit in Hebrew reads after its number."""
    plain = f"{round(value, 2):.2f}".rstrip("0").rstrip(".")  # 1234567, not 1.23457e+06
    plain = "0" if plain == "-0" else plain.replace(".", labels("decimal_separator"))
    number = isolate(f"{sign}{plain}", direction)
    return f"{number}{joint}{unit}" if unit else number


def shown_target(measure: Measure, labels: Labels, direction: Direction) -> str | None:
    """'≥ 80 %' (at most: '≤'); None without a target. The sign goes inside the isolate with
    its number: alone in right-to-left text, '≥' would be mirrored into '≤'."""
    if measure.target is None:
        return None
    sign = "\u2265" if measure.better == "higher" else "\u2264"
    return shown_value(measure.target, measure.unit, labels, direction, f"{sign}\u00a0")


def target_words(measure: Measure, labels: Labels, direction: Direction) -> str | None:
    """'target ≥ 80 %: met'; None without a target."""
    target = shown_target(measure, labels, direction)
    if target is None:
        return None
    return labels(f"metric_target_{STATES[measure.met]}", target=target)


def measure_words(measure: Measure, labels: Labels, direction: Direction) -> str:
    """A measure in one line of words: its name, value and target; for tooltips and
    descriptions."""
    value = shown_value(measure.value, measure.unit, labels, direction)
    target = target_words(measure, labels, direction)
    return f"{measure.name}: {value}" + (f" ({target})" if target else "")


def _block(measure: Measure, middle: float, top: float, width: float, size: float,
           small: float, labels: Labels, direction: Direction) -> tuple[MetricBlock, float]:
    """A measure's block under `top`, centred on `middle`, and its height."""
    state = STATES[measure.met]
    texts = []
    y = top
    tooltip = measure_words(measure, labels, direction)
    name = fit(measure.name, width, small, 2)
    texts.append(Text(tuple(name), middle, y + ASCENT * small, small, "jm-metric-name",
                      "middle", False, tooltip))
    y += len(name) * line_height(small)
    # Two lines: a long unit ('Kundenkontakte') goes under its number, never cut off it.
    value = shown_value(measure.value, measure.unit, labels, direction, joint=" ")
    lines = fit(f"{SYMBOLS[measure.met]} {value}", width, size, 2, bold=True)
    texts.append(Text(tuple(lines), middle, y + ASCENT * size, size,
                      f"jm-metric-value jm-metric-value--{state}", "middle", True))
    y += len(lines) * line_height(size)
    target = target_words(measure, labels, direction)
    if target:
        lines = fit(target, width, small, 2)
        texts.append(Text(tuple(lines), middle, y + ASCENT * small, small,
                          f"jm-metric-target jm-metric-target--{state}", "middle"))
        y += len(lines) * line_height(small)
    if len(measure.series) < 2:
        return MetricBlock(tuple(texts), state), y - top
    y += SPARK_GAP
    values = [v for _, v in measure.series]
    low, high = min(values), max(values)
    if measure.target is not None:
        low, high = min(low, measure.target), max(high, measure.target)
    spread = (high - low) or 1.0

    def to_y(value: float) -> float:
        return y + (high - value) / spread * SPARK_HEIGHT

    left = middle - width / 2
    step = width / (len(values) - 1)
    points = tuple((left + step * i, to_y(v)) for i, v in enumerate(values))
    target_y = to_y(measure.target) if measure.target is not None else None
    return (MetricBlock(tuple(texts), state, points, target_y, (left, y, width, SPARK_HEIGHT)),
            y + SPARK_HEIGHT - top)


def _stack(measures: Sequence[Measure], middle: float, top: float, width: float, size: float,
           small: float, labels: Labels,
           direction: Direction) -> tuple[list[MetricBlock], float]:
    """A place's measures one under another; their blocks and the height they take."""
    blocks, y = [], top
    for number, measure in enumerate(measures):
        if number:
            y += BLOCK_GAP
        block, height = _block(measure, middle, y, width, size, small, labels, direction)
        blocks.append(block)
        y += height
    return blocks, y - top


def lay_out_metrics(measures: Measures, top: float, middles: Sequence[float],
                    stage_spans: Sequence[tuple[float, float]], inner: float, pad: float,
                    size: float, small: float, labels: Labels,
                    direction: Direction) -> tuple[list[MetricBlock], float]:
    """Every block of the lane under `top`, stages' first, and the height of the lane's
    content: a row of the stages' measures over their columns, then the touchpoints'."""
    blocks: list[MetricBlock] = []
    row = 0.0
    for (left, span), mine in zip(stage_spans, measures.stages, strict=False):
        found, height = _stack(mine, left + span / 2, top, span - 2 * pad, size, small,
                               labels, direction)
        blocks += found
        row = max(row, height)
    y = top + row + (BLOCK_GAP if row else 0.0)
    column = 0.0
    for middle, mine in zip(middles, measures.touchpoints, strict=False):
        found, height = _stack(mine, middle, y, inner, size, small, labels, direction)
        blocks += found
        column = max(column, height)
    return blocks, (y - top) + column
