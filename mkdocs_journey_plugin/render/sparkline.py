"""The emotion curve alone, small enough for lists and cards."""

from __future__ import annotations

from dataclasses import dataclass

from ..figures import end_emotion, lowest_moment
from ..model import Journey
from .options import ChartOptions
from .svg import Canvas, Frame

WIDTH = 120.0
HEIGHT = 32.0
INSET = 4.0


@dataclass(frozen=True)
class SparklineOptions(ChartOptions):
    """Everything besides the journey that changes the drawing."""

    id_prefix: str = "journey-sparkline"


def render_sparkline(journey: Journey, options: SparklineOptions | None = None) -> str:
    """A sparkline SVG: the curve, a zero line, and a marker on the lowest and the last point."""
    options = options or SparklineOptions()
    low, high = options.scale
    front = journey.frontstage
    step = (WIDTH - 2 * INSET) / max(len(front) - 1, 1)

    def y(value: float) -> float:
        return INSET + (high - value) / (high - low) * (HEIGHT - 2 * INSET)

    points = [(INSET + step * i if len(front) > 1 else WIDTH / 2, y(t.score or 0.0))
              for i, t in enumerate(front)]
    canvas = Canvas(Frame(WIDTH, options.direction), HEIGHT, options.id_prefix)
    lowest = lowest_moment(journey)
    t = options.labels
    canvas.describe(
        t("sparkline_title", title=journey.title),
        t("sparkline_desc", count=len(front), first=t.score(front[0].score or 0.0),
          end=t.score(end_emotion(journey)), lowest=t.score(lowest.emotion),
          lowest_action=lowest.action), "journey-sparkline")
    zero = 0.0 if low < 0 < high else (low + high) / 2
    canvas.line((INSET, y(zero)), (WIDTH - INSET, y(zero)), "jm-zero")
    canvas.polyline(points, "jm-curve")
    middle = (low + high) / 2
    for index in sorted({[tp.id for tp in front].index(lowest.id), len(front) - 1}):
        value = front[index].score or 0.0
        kind = "positive" if value > middle else "negative" if value < middle else "neutral"
        canvas.circle(points[index], 3.0, f"jm-point jm-point--{kind}")
    return canvas.tostring()
