"""Each stage's part of the emotion curve, for the stage's slide of a presentation.

The whole journey's curve is drawn faint; the stage's own touchpoints get the room, a strong
line, a marker whose shape says above or below the middle (a triangle up or down, a circle)
and their score in numbers, so that colour is never the only sign. Every point of the stage
has a cell as wide as the widest of its scores, so that no two scores touch; the other points
share what is left. One drawing per stage, all of a journey's drawn together (its
presentation is kept in the chart cache whole).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..figures import end_emotion
from ..model import Journey, Touchpoint
from .options import ChartOptions
from .svg import ASCENT, DESCENT, Canvas, DrawnChart, Frame, Text
from .text import text_width

HEIGHT = 130.0
MIN_WIDTH = 560.0
SIZE = 20.0  # the scores
AXIS = 16.0  # the scale's ends
MARKER = 7.0  # half the width of a marker
LABEL_GAP = 5.0  # between a marker and its score
CELL_GAP = 14.0  # between two scores of the stage
MIN_CELL = 48.0
CONTEXT_CELL = 16.0  # a point of another stage
EMPTY_CELL = 56.0  # a stage without frontstage touchpoints still gets its place
PAD = 8.0
# The plot's top and bottom leave room for a score over a point at either end of the scale.
TOP = PAD + MARKER
BOTTOM = HEIGHT - PAD - MARKER
CLOSING_TAG = "</svg>"


@dataclass(frozen=True)
class StageCurveOptions(ChartOptions):
    """Everything besides the journey that changes the drawings; each stage's ids are the prefix
    and the stage's number."""

    id_prefix: str = "stage-curve"


@dataclass(frozen=True)
class _Point:
    touchpoint: Touchpoint
    stage: int  # the index of its stage
    x: float
    y: float


def _kind(value: float, middle: float) -> str:
    return "positive" if value > middle else "negative" if value < middle else "neutral"


def draw_stage_curves(journey: Journey, options: StageCurveOptions | None = None
                      ) -> list[DrawnChart]:
    """One drawing per stage, in stage order."""
    options = options or StageCurveOptions()
    return [_draw(journey, index, options) for index in range(len(journey.stages))]


def render_stage_curves(journey: Journey, options: StageCurveOptions | None = None) -> str:
    """Every stage's drawing, one after the other (see split_stage_curves)."""
    return "".join(drawn.svg for drawn in draw_stage_curves(journey, options))


def split_stage_curves(svgs: str) -> list[str]:
    """The drawings of render_stage_curves one by one. Author text inside is escaped, so the
    only closing tags are the drawings' own."""
    return [f"{part}{CLOSING_TAG}" for part in svgs.split(CLOSING_TAG)[:-1]]


def _draw(journey: Journey, index: int, options: StageCurveOptions) -> DrawnChart:
    low, high = options.scale
    middle = (low + high) / 2
    t = options.labels
    stage = journey.stages[index]
    ends = [Text((options.number(high),), 0, 0, AXIS, "jsc-axis", "end"),
            Text((options.number(low),), 0, 0, AXIS, "jsc-axis", "end")]
    gutter = PAD + max(end.width for end in ends) + PAD
    mine = [tp for tp in stage.touchpoints if not tp.backstage]
    cell = max([MIN_CELL, *(text_width(options.number(tp.score or 0.0), SIZE, True) + CELL_GAP
                            for tp in mine)])
    # Cells left to right: (stage index, touchpoint or None for an empty stage, width).
    cells: list[tuple[int, Touchpoint | None, float]] = []
    for number, other in enumerate(journey.stages):
        front = [tp for tp in other.touchpoints if not tp.backstage]
        if number == index and not front:
            cells.append((number, None, EMPTY_CELL))
        cells += [(number, tp, cell if number == index else CONTEXT_CELL) for tp in front]
    room = sum(width for _, _, width in cells)
    stretch = max(1.0, (MIN_WIDTH - gutter - PAD) / room)
    width = gutter + room * stretch + PAD

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * (BOTTOM - TOP)

    points: list[_Point] = []
    left = gutter
    span = [width, 0.0]  # the stage's cells, left to right
    for number, tp, cell_width in cells:
        right = left + cell_width * stretch
        if number == index:
            span = [min(span[0], left), max(span[1], right)]
        if tp is not None:
            points.append(_Point(tp, number, (left + right) / 2, y(tp.score or 0.0)))
        left = right

    canvas = Canvas(Frame(width, options.direction), HEIGHT, f"{options.id_prefix}-{index + 1}")
    front = journey.frontstage
    scores = "; ".join(f"{p.touchpoint.action}: {options.number(p.touchpoint.score or 0.0)}"
                       for p in points if p.stage == index)
    canvas.describe(
        t("stage_curve_title", stage=stage.name),
        t("stage_curve_desc", scores=scores or t("stage_curve_none"),
          first=options.number(front[0].score or 0.0) if front else "",
          end=options.number(end_emotion(journey)) if front else ""),
        "journey-stage-curve")
    texts: list[Text] = []

    def text(placed: Text, parent: object = None) -> None:
        texts.append(placed)
        canvas.text(placed, parent)

    canvas.rect(span[0], PAD / 2, span[1] - span[0], HEIGHT - PAD, "jsc-stage", radius=4)
    zero = 0.0 if low < 0 < high else middle
    canvas.line((gutter, y(zero)), (width - PAD, y(zero)), "jsc-zero")
    for end, value in zip(ends, (high, low), strict=True):
        text(Text(end.lines, gutter - PAD, y(value) + (ASCENT - DESCENT) * AXIS / 2, AXIS,
                  end.css, "end"))
    if len(points) > 1:
        canvas.polyline([(p.x, p.y) for p in points], "jsc-context")
    ours = [p for p in points if p.stage == index]
    group = canvas.group("jsc-points")
    if len(ours) > 1:
        canvas.polyline([(p.x, p.y) for p in ours], "jsc-curve", group)
    for point in ours:
        value = point.touchpoint.score or 0.0
        emotion = point.touchpoint.emotion
        reach = (point.y, point.y)  # the marker, or the range of the interviews' scores
        if isinstance(emotion, list) and min(emotion) != max(emotion):
            reach = (y(max(emotion)), y(min(emotion)))
            canvas.line((point.x, reach[0]), (point.x, reach[1]), "jsc-range", group)
        kind = _kind(value, middle)
        if point.touchpoint.moment_of_truth:  # a ring round it, as on the map
            canvas.circle((point.x, point.y), MARKER + 5, "jsc-truth", group)
        _marker(canvas, (point.x, point.y), kind, group)
        text(Text((options.number(value),), point.x, _baseline(point.y, reach), SIZE,
                  f"jsc-score jsc-score--{kind}", "middle", True), group)
    return DrawnChart(canvas.tostring(), width, HEIGHT, texts)


def _baseline(at: float, reach: tuple[float, float]) -> float:
    """Where a score goes: over a point in the plot's lower half, under one in the upper half,
    clear of its range of scores; on the other side when that has no room, and beside the
    marker alone when neither has."""
    tall = (ASCENT + DESCENT) * SIZE + MARKER + LABEL_GAP
    over = reach[0] - MARKER - LABEL_GAP - DESCENT * SIZE
    under = reach[1] + MARKER + LABEL_GAP + ASCENT * SIZE
    fits_over, fits_under = reach[0] - tall >= 0, reach[1] + tall <= HEIGHT
    if at > (TOP + BOTTOM) / 2:
        return over if fits_over else under if fits_under else \
            at - MARKER - LABEL_GAP - DESCENT * SIZE
    return under if fits_under else over if fits_over else at + MARKER + LABEL_GAP + ASCENT * SIZE


def _marker(canvas: Canvas, centre: tuple[float, float], kind: str, parent: object) -> None:
    """A triangle pointing up (positive) or down (negative), or a circle (neutral), as on the
    map."""
    x, y = centre
    css = f"jsc-point jsc-point--{kind}"
    if kind == "neutral":
        canvas.circle(centre, MARKER - 1, css, parent)
        return
    tip = -MARKER if kind == "positive" else MARKER
    canvas.polygon([(x, y + tip), (x - MARKER, y - tip * 0.7), (x + MARKER, y - tip * 0.7)],
                   css, parent)
