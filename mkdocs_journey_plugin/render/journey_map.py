"""The journey map: stages as columns, lanes of what happens, and the emotion curve under them.

Read left to right (right to left in Hebrew): a column per touchpoint, grouped by stage. Lanes, top
to bottom: stage, what the customer does, channel, emotion, moments (gaps, pain points, quotes,
opportunities, lowest and end), team with handoff arrows, the line of visibility, backstage.
Where each of them goes is `map_layout.py`'s to say; this paints them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import escape

from ..figures import channel_switches, handoffs, lowest_moment
from ..metrics import NO_MEASURES, Measures
from ..model import Journey, Touchpoint
from .channels import channel_icon
from .map_layout import (
    AXIS_ROOM,
    BADGE,
    COLUMN,
    CURVE,
    GLYPH_DROP,
    GUTTER,
    ICON,
    INNER,
    PAD,
    SIZE,
    SMALL,
    LegendEntry,
    MapLayout,
    PlacedBadge,
    lay_out,
)
from .metrics_lane import measure_words
from .options import ChartOptions
from .svg import ASCENT, Canvas, Frame, Text, num
from .text import fit

MARKER = 6.0  # half size of an emotion point
STACK_GAP = 14.0  # from an emotion point to its labels
STAGE_INSET = 2.0  # a stage's box inside its columns
CORNER = 4.0  # radius of a stage's box
ICON_SCALE = "scale(0.75)"  # the icons are drawn 24 units wide: ICON wide here
HANDOFF_ABOVE = 9.0  # the handoff arrows, over the line of visibility
HANDOFF_INSET = 10.0  # an arrow's ends, from the middles of the columns it joins
COMPARE_POINT = 3.5  # radius of a point of the compared curve
RING = MARKER + 5  # radius of the ring round the lowest and the end point
LABEL_GAP = 2.0  # between a point's score and its feeling
AXIS_GAP = 6.0  # from the emotion axis' numbers to the curve's area
AXIS_DROP = 4.0  # from a score's height down to its number's baseline
SAMPLE_LINE = 24.0  # a legend sample of a curve
HANDOFF_SAMPLE = 20.0  # a legend sample of a handoff arrow
BAND_SAMPLE = 12.0  # height of a legend sample of the band
SAMPLE_INSET = 3.0  # a legend sample of a badge, from the entry's left
AXIS_SIZE = SMALL - 1  # of the emotion axis' numbers
LEGEND_GLYPHS = {"truth": "\u2605", "gap": "?", "pain": "!", "quote": "\u201c",
                 "opportunity": "1"}
TRUTH_RING = RING + 4  # a moment of truth: a second ring round its point
SPARK_DOT = 2.5  # the latest value on a measure's sparkline


@dataclass(frozen=True)
class MapOptions(ChartOptions):
    """Everything besides the journey that changes the drawing."""

    id_prefix: str = "journey-map"
    compare: Journey | None = None
    compare_title: str = ""
    channel_lane: bool = True  # False: no channel lane (a Mermaid journey has no channels)
    empty_lanes: bool = True  # False: no team or backstage lane that no touchpoint fills
    measures: Measures = NO_MEASURES  # what was measured on the journey (metrics.py)


@dataclass(frozen=True)
class MapLink:
    """A link the page lays over the map: its box as shares of the map's width and height."""

    href: str
    id: str | None
    label: str
    css: str
    box: tuple[float, ...]  # left, top, width, height


@dataclass
class DrawnMap:
    """The SVG and the text it placed, so that tests can check boxes without a browser."""

    svg: str
    width: float
    height: float
    texts: list[Text]
    points: list[tuple[float, float]]
    gutter: str  # the lane names and the axis as a drawing of their own (see draw_gutter)
    links: list[MapLink]


class _MapDrawer:
    def __init__(self, journey: Journey, options: MapOptions) -> None:
        self.journey = journey
        self.options = options
        self.t = options.labels
        self.touchpoints = journey.touchpoints
        self.layout: MapLayout = lay_out(journey, options)
        self.width = self.layout.width
        self.texts: list[Text] = []

    def score_y(self, value: float, top: float) -> float:
        low, high = self.options.scale
        return top + (high - value) / (high - low) * CURVE

    def add(self, text: Text) -> Text:
        self.texts.append(text)
        return text

    def compare_points(self, top: float) -> list[tuple[float, float]]:
        """The compared journey's curve, placed under this map's stages of the same name."""
        other = self.options.compare
        if other is None:
            return []
        spans: dict[str, tuple[float, float]] = {}
        index, lefts = 0, self.layout.lefts
        for stage in self.journey.stages:
            start = lefts[index]
            index += len(stage.touchpoints)
            spans.setdefault(stage.name.casefold(), (start, lefts[index - 1] + COLUMN))
        points: list[tuple[float, float]] = []
        everything = len(other.frontstage)
        position = -1  # of the touchpoint among all frontstage ones (counted, not looked up)
        for stage in other.stages:
            front = [t for t in stage.touchpoints if not t.backstage]
            span = spans.get(stage.name.casefold())
            for number, touchpoint in enumerate(front):
                position += 1
                if span is not None:
                    x = span[0] + (span[1] - span[0]) * (number + 0.5) / len(front)
                else:  # no stage of that name here: spread over the whole map
                    x = GUTTER + (self.width - PAD - GUTTER) * (position + 0.5) / everything
                points.append((x, self.score_y(touchpoint.score or 0.0, top)))
        return sorted(points)

    # --- drawing --------------------------------------------------------------------------

    def draw(self) -> DrawnMap:
        layout = self.layout
        canvas = Canvas(Frame(layout.width, self.options.direction), layout.height,
                        self.options.id_prefix)
        self.describe(canvas)
        self.arrow_marker(canvas)
        self.draw_lanes(canvas)
        self.draw_time(canvas)
        self.draw_cells(canvas)
        visibility_y = layout.visibility_y
        if visibility_y is not None:
            self.draw_handoffs(canvas, visibility_y - HANDOFF_ABOVE)
            canvas.line((0, visibility_y), (self.width, visibility_y), "jm-visibility",
                        tooltip=self.t("lane_visibility"))
        points = self.draw_curve(canvas, layout.curve_top)
        self.draw_badges(canvas, layout.badges)
        self.draw_metrics(canvas)
        self.draw_legend(canvas, layout.legend)
        return DrawnMap(canvas.tostring(), layout.width, layout.height, self.texts, points,
                        self.draw_gutter(), self.links())

    def describe(self, canvas: Canvas) -> None:
        """The title and the description a screen reader reads: the map's figures in words."""
        t, journey = self.t, self.journey
        lowest = lowest_moment(journey)
        description = t(
            "map_desc", touchpoints=len(self.touchpoints), count=len(journey.stages),
            stages=", ".join(s.name for s in journey.stages), lowest=lowest.action,
            lowest_score=t.score(lowest.emotion), end=t.score(journey.frontstage[-1].score or 0.0),
            switches=channel_switches(journey), handoffs=handoffs(journey))
        measures = self.options.measures
        placed = measures.placed(journey)
        if placed:
            described = "; ".join(
                (t("the_journey") if p.where == "journey" else p.place) + ", "
                + measure_words(p.measure, t, self.options.direction) for p in placed)
            description += " " + t("map_desc_metrics", count=len(placed), met=measures.met,
                                   missed=measures.missed, measures=described)
        canvas.describe(t("map_title", title=journey.title), description, "journey-map")

    def draw_lanes(self, canvas: Canvas) -> None:
        """Lanes: a band each, the name in the gutter; the stages' boxes and names over them."""
        layout = self.layout
        lanes = canvas.group("jm-lanes")
        self.draw_lane_names(canvas, self.width, lanes, self.add)
        for stage in layout.stages:
            canvas.rect(stage.left + STAGE_INSET, STAGE_INSET, stage.span - 2 * STAGE_INSET,
                        layout.stage_height - 2 * STAGE_INSET, "jm-stage", lanes, radius=CORNER)
            canvas.line((stage.left, layout.stage_height), (stage.left, layout.height),
                        "jm-stage-rule", lanes)
        for stage in layout.stages:
            canvas.text(self.add(stage.text), lanes)

    def draw_time(self, canvas: Canvas) -> None:
        """A time axis: the room for the time between columns, down the lanes under the
        stages, with how long it is; and when each touchpoint starts."""
        layout = self.layout
        if not layout.times:
            return
        group = canvas.group("jm-time-axis")
        top = layout.lanes[1].top
        bottom = layout.lanes[-1].top + layout.lanes[-1].height
        for gap in layout.gaps:
            canvas.rect(gap.left, top, gap.width, bottom - top, "jm-gap", group)
            if gap.text is not None:
                canvas.text(self.add(gap.text), group)
        for text in layout.times:
            if text is not None:
                canvas.text(self.add(text), group)

    def draw_lane_names(self, canvas: Canvas, width: float, parent: Any,
                        keep: Callable[[Text], Text]) -> None:
        """Each lane's band across `width`, and its name in the gutter."""
        for number, lane in enumerate(self.layout.lanes):
            canvas.rect(0, lane.top, width, lane.height,
                        f"jm-lane jm-lane--{'odd' if number % 2 else 'even'}", parent)
            label = Text(tuple(fit(lane.name, GUTTER - 2 * PAD - AXIS_ROOM, SMALL, 3, bold=True)),
                         PAD, lane.top + PAD + ASCENT * SMALL, SMALL, "jm-lane-name", "start",
                         True)
            canvas.text(keep(label), parent)

    @property
    def zero(self) -> float:
        """The score of the curve's dotted line: zero, or the middle of a scale without it."""
        low, high = self.options.scale
        return 0.0 if low < 0 < high else (low + high) / 2

    def axis(self, top: float) -> list[Text]:
        """The emotion axis' numbers at the gutter's end: highest, middle (or zero), lowest."""
        low, high = self.options.scale
        return [Text((self.options.number(value),), GUTTER - AXIS_GAP,
                     self.score_y(value, top) + AXIS_DROP, AXIS_SIZE, "jm-axis", "end")
                for value in (high, self.zero, low)]

    def draw_gutter(self) -> str:
        """The gutter again as a drawing of its own: the page keeps it in view over a map
        scrolled sideways (a stylesheet can pin a box, not a part of a drawing). Its words
        are the map's, so it is hidden from screen readers."""
        layout = self.layout
        last = layout.lanes[-1]
        height = last.top + last.height  # the legend under the lanes scrolls with the map
        canvas = Canvas(Frame(GUTTER, self.options.direction), height,
                        f"{self.options.id_prefix}-gutter")
        root = canvas.drawing
        root.attribs.update({"class": "journey-map-gutter", "aria-hidden": "true",
                             "style": f"width: {num(GUTTER / layout.width * 100)}%"})
        if self.options.direction == "rtl":
            root.attribs["direction"] = "rtl"
        canvas.rect(0, 0, GUTTER, height, "jm-gutter")
        self.draw_lane_names(canvas, GUTTER, None, lambda text: text)
        for text in self.axis(layout.curve_top):
            canvas.text(text)
        if layout.visibility_y is not None:
            canvas.line((0, layout.visibility_y), (GUTTER, layout.visibility_y), "jm-visibility")
        canvas.line((GUTTER, 0), (GUTTER, height), "jm-gutter-edge")
        return canvas.tostring()

    def links(self) -> list[MapLink]:
        """Where the page's links over the map go (see render_map_region): each touchpoint's
        cells, frontstage and backstage, to its row in the table beside the map, and each
        numbered opportunity marker to the opportunity."""
        layout, frame, prefix = self.layout, Frame(self.width, self.options.direction), \
            self.options.id_prefix
        lanes = {lane.key: lane for lane in layout.lanes}
        # What it does, down to its channel (or whichever lane is last above the emotion).
        last = max((lanes[k] for k in ("action", "actors", "channel") if k in lanes),
                   key=lambda lane: lane.top)
        front = (lanes["action"].top, last.top + last.height)
        lowest = layout.lanes[-1]
        back = (lowest.top, lowest.top + lowest.height)

        def box(left: float, top: float, width: float, height: float) -> tuple[float, ...]:
            x = frame.x(left + width) if frame.direction == "rtl" else left
            return (x / self.width, top / layout.height, width / self.width,
                    height / layout.height)

        found = []
        for i, tp in enumerate(self.touchpoints):
            top, bottom = back if tp.backstage else front
            found.append(MapLink(f"#tp-{tp.id}", f"{prefix}-tp-{tp.id}",
                                 f"{i + 1}. {tp.action}", "jm-link",
                                 box(layout.lefts[i], top, COLUMN, bottom - top)))
        for column in layout.badges:
            for badge, left, top in column:
                if badge.href:
                    found.append(MapLink(badge.href, None, badge.tooltip, "jm-link jm-link--badge",
                                         box(left, top, badge.width, 2 * BADGE)))
        return found

    def draw_cells(self, canvas: Canvas) -> None:
        """A group per touchpoint: its texts and its channel's icon."""
        cells = canvas.group("jm-cells")
        for i, (tp, texts) in enumerate(zip(self.touchpoints, self.layout.cells, strict=True)):
            column = canvas.group("jm-touchpoint" + (" jm-touchpoint--backstage" if tp.backstage
                                                     else ""), cells, data_touchpoint=tp.id or "")
            for cell in texts:
                if cell is not None:
                    canvas.text(self.add(cell), column)
            if self.layout.channel_top is None:
                continue
            icon = canvas.drawing.path(d=channel_icon(tp.channel), class_="jm-icon")
            x = canvas.frame.x(self.layout.centre(i)) - ICON / 2
            icon.attribs["transform"] = (f"translate({num(x)} {num(self.layout.channel_top)}) "
                                         + ICON_SCALE)
            column.add(icon)

    @property
    def arrow(self) -> str:
        """The `marker-end` of a handoff arrow."""
        return f"url(#{self.options.id_prefix}-arrow)"

    def arrow_marker(self, canvas: Canvas) -> None:
        # An arrow head 8 units long and wide, its tip at the line's end.
        marker = canvas.drawing.marker(insert=(8, 4), size=(8, 8), orient="auto",
                                       id=f"{self.options.id_prefix}-arrow")
        marker.add(canvas.drawing.path(d="M0 0L8 4L0 8z", class_="jm-arrow-head"))
        canvas.drawing.defs.add(marker)

    def draw_handoffs(self, canvas: Canvas, y: float) -> None:
        group = canvas.group("jm-handoffs")
        centre = self.layout.centre
        for i in range(1, len(self.touchpoints)):
            before, after = self.touchpoints[i - 1].team, self.touchpoints[i].team
            if before and after and before.casefold() != after.casefold():
                canvas.line((centre(i - 1) + HANDOFF_INSET, y), (centre(i) - HANDOFF_INSET, y),
                            "jm-handoff", group, marker_end=self.arrow)

    def draw_curve(self, canvas: Canvas, top: float) -> list[tuple[float, float]]:
        """The emotion lane: axis, zero line, the band of ranges, the compared curve, the curve
        and each point with its score and feeling. Returns the curve's points."""
        group = canvas.group("jm-emotion")
        zero = self.score_y(self.zero, top)
        canvas.line((GUTTER, zero), (self.width - PAD, zero), "jm-zero", group)
        for axis in self.axis(top):
            canvas.text(self.add(axis), group)
        front = [(i, tp) for i, tp in enumerate(self.touchpoints) if not tp.backstage]
        scores = [(self.layout.centre(i), tp) for i, tp in front]
        if any(isinstance(tp.emotion, list) for _, tp in front):
            upper = [(x, self.score_y(max(_emotion_values(tp)), top)) for x, tp in scores]
            lower = [(x, self.score_y(min(_emotion_values(tp)), top)) for x, tp in scores]
            canvas.polygon(upper + lower[::-1], "jm-band", group)
        compared = self.compare_points(top)
        if compared:
            canvas.polyline(compared, "jm-curve jm-curve--compare", group)
            for point in compared:
                canvas.circle(point, COMPARE_POINT, "jm-point jm-point--compare", group)
        points = [(x, self.score_y(tp.score or 0.0, top)) for x, tp in scores]
        canvas.polyline(points, "jm-curve", group)
        ringed = (lowest_moment(self.journey).id, front[-1][1].id)
        for point, (_, tp) in zip(points, scores, strict=True):
            self.draw_point(canvas, point, tp, tp.id in ringed, top, group)
        return points

    def draw_point(self, canvas: Canvas, point: tuple[float, float], tp: Touchpoint,
                   ringed: bool, top: float, group: Any) -> None:
        """A point of the curve (its shape says whether it is above or below the middle), and
        its score and feeling under it in the upper half of the lane, over it in the lower."""
        low, high = self.options.scale
        middle = (low + high) / 2
        x, y = point
        value = tp.score or 0.0
        kind = "positive" if value > middle else "negative" if value < middle else "neutral"
        if ringed:
            canvas.circle((x, y), RING, "jm-ring", group)
        if tp.moment_of_truth:
            canvas.circle((x, y), TRUTH_RING, "jm-ring jm-ring--truth", group)
        self.marker(canvas, (x, y), kind, group)
        labels = [Text((self.options.number(value),), x, 0, SIZE, "jm-score", "middle", True)]
        if tp.feeling:
            labels.append(Text(tuple(fit(tp.feeling, INNER, SMALL, 2)), x, 0, SMALL,
                               "jm-feeling", "middle"))
        stack = sum(label.height for label in labels) + LABEL_GAP * (len(labels) - 1)
        below = y < top + CURVE / 2
        cursor = y + STACK_GAP if below else y - STACK_GAP - stack
        for label in labels:
            placed = Text(label.lines, x, cursor + ASCENT * label.size, label.size, label.css,
                          "middle", label.bold)
            canvas.text(self.add(placed), group)
            cursor += label.height + LABEL_GAP

    def marker(self, canvas: Canvas, centre: tuple[float, float], kind: str, parent: Any) -> None:
        """A triangle pointing up (positive) or down (negative), or a circle (neutral)."""
        x, y = centre
        css = f"jm-point jm-point--{kind}"
        if kind == "neutral":
            canvas.circle(centre, MARKER - 0.5, css, parent)
            return
        s = MARKER + 1
        tip = -s if kind == "positive" else s
        canvas.polygon([(x, y + tip), (x - s, y - tip * 0.7), (x + s, y - tip * 0.7)], css, parent)

    def draw_badges(self, canvas: Canvas, placed: list[list[PlacedBadge]]) -> None:
        group = canvas.group("jm-moments")
        for column in placed:
            for badge, left, top in column:
                width = badge.width
                canvas.rect(left, top, width, 2 * BADGE, badge.css, group, radius=BADGE)
                text = Text((badge.glyph,), left + width / 2, top + BADGE + GLYPH_DROP, SMALL,
                            _text_class(badge.css), "middle", True, badge.tooltip)
                canvas.text(self.add(text), group)

    def draw_metrics(self, canvas: Canvas) -> None:
        """The lane of measures: words, and a sparkline of the dated values with the target
        as a dashed line."""
        if not self.layout.metrics:
            return
        group = canvas.group("jm-metrics")
        for block in self.layout.metrics:
            for text in block.texts:
                canvas.text(self.add(text), group)
            if block.spark_box is not None:
                left, _, width, _ = block.spark_box
                if block.target_y is not None:
                    canvas.line((left, block.target_y), (left + width, block.target_y),
                                "jm-metric-goal", group)
                canvas.polyline(block.spark, "jm-metric-spark", group)
                canvas.circle(block.spark[-1], SPARK_DOT,
                              f"jm-metric-dot jm-metric-dot--{block.state}", group)

    def draw_legend(self, canvas: Canvas, placed: list[LegendEntry]) -> None:
        group = canvas.group("jm-legend")
        for key, text, x, y in placed:
            mid = y + BADGE
            if key in ("curve", "compare"):
                canvas.line((x, mid), (x + SAMPLE_LINE, mid), "jm-curve" + (
                    " jm-curve--compare" if key == "compare" else ""), group)
            elif key == "band":
                canvas.rect(x, mid - BAND_SAMPLE / 2, SAMPLE_LINE, BAND_SAMPLE, "jm-band", group)
            elif key == "ring":
                canvas.circle((x + SAMPLE_LINE / 2, mid), RING, "jm-ring", group)
            elif key == "time":
                canvas.rect(x, mid - BAND_SAMPLE / 2, SAMPLE_LINE, BAND_SAMPLE, "jm-gap", group)
            elif key == "metric":
                canvas.text(self.add(Text(("\u2713 \u2717",), x + SAMPLE_LINE / 2,
                                          mid + GLYPH_DROP, SMALL, "jm-metric-value",
                                          "middle", True)), group)
            elif key == "handoff":
                canvas.line((x, mid), (x + HANDOFF_SAMPLE, mid), "jm-handoff", group,
                            marker_end=self.arrow)
            else:
                canvas.rect(x + SAMPLE_INSET, y, 2 * BADGE, 2 * BADGE, f"jm-badge jm-badge--{key}",
                            group, radius=BADGE)
                canvas.text(self.add(Text((LEGEND_GLYPHS[key],), x + SAMPLE_INSET + BADGE,
                                          mid + GLYPH_DROP, SMALL,
                                          f"jm-badge-text jm-badge-text--{key}", "middle", True)),
                            group)
            canvas.text(self.add(text), group)


def _text_class(shape_class: str) -> str:
    """'jm-badge jm-badge--gap' -> 'jm-badge-text jm-badge-text--gap' for the glyph on it."""
    return " ".join(part.replace("jm-badge", "jm-badge-text").replace("jm-tag", "jm-tag-text")
                    for part in shape_class.split())


def _emotion_values(touchpoint: Touchpoint) -> list[float]:
    """A touchpoint's emotion as a list: its range's values, or its one score."""
    emotion = touchpoint.emotion
    if isinstance(emotion, list):
        return emotion
    return [emotion if emotion is not None else 0.0]


def draw_journey_map(journey: Journey, options: MapOptions | None = None) -> DrawnMap:
    """The map and the geometry of its text; for tests and for callers that need the size."""
    return _MapDrawer(journey, options or MapOptions()).draw()


def render_journey_map(journey: Journey, options: MapOptions | None = None) -> str:
    """The journey map as an SVG string: a pure function of the journey and the options."""
    return draw_journey_map(journey, options).svg


def render_map_region(journey: Journey, options: MapOptions | None = None) -> str:
    """The map as a journey page shows it: the drawing, its links and its gutter over each
    other in a box that knows the drawing's width, so that the stylesheet can scale it between
    0.8 and 1 of its size to the window (see journeys.css), the gutter in view when it scrolls.

    The links are HTML over the drawing, not part of it: a drawing with role="img" is one
    picture to a screen reader, and a link inside it would be a stop with no name.
    """
    drawn = draw_journey_map(journey, options)
    links = "".join(_link_html(link) for link in drawn.links)
    return (f'<div class="journey-map-canvas" style="--jm-width: {num(drawn.width)}px">'
            f'{drawn.svg}<div class="journey-map-links">{links}</div>{drawn.gutter}</div>')


def _link_html(link: MapLink) -> str:
    left, top, width, height = (f"{value * 100:.3f}%" for value in link.box)
    anchor = f' id="{link.id}"' if link.id else ""
    label = escape(link.label)  # a tooltip as well, as the drawing's own texts have
    return (f'<a class="{link.css}" href="{link.href}"{anchor} title="{label}" style="left: '
            f'{left}; top: {top}; width: {width}; height: {height}"><span>{label}</span></a>')


def map_of_region(region: str) -> str:
    """The drawing alone, out of what render_map_region made: for the map's own file."""
    start = region.index("<svg")
    return region[start:region.index("</svg>", start) + len("</svg>")]
